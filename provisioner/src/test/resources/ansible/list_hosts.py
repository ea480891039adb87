"""Ansible's own answer for many host patterns in one process.

Reads one JSON string (a pattern) per line on stdin and writes one JSON object per line:
{"hosts": [...]} in Ansible's order, or {"error": "..."}. It calls InventoryManager.list_hosts, the code
`ansible <pattern> --list-hosts -i <inventory>` runs, once per pattern, so thousands of patterns take
a second instead of one interpreter start each. Run with ANSIBLE_HOST_PATTERN_MISMATCH=error so that a
term naming nothing is reported rather than warned about (the provisioner refuses such a term).
"""
import json
import sys

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader

inventory = InventoryManager(loader=DataLoader(), sources=[sys.argv[1]])
for line in sys.stdin:
    pattern = json.loads(line)
    try:
        answer = {"hosts": [str(h) for h in inventory.list_hosts(pattern)]}
    except Exception as e:  # Ansible's errors and its uncaught ones (e.g. IndexError on a bare '!')
        answer = {"error": "%s: %s" % (type(e).__name__, e)}
    print(json.dumps(answer), flush=True)
