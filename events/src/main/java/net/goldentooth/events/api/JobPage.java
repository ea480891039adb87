package net.goldentooth.events.api;

import java.util.List;

/** {@code GET /jobs?offset=&limit=&state=&node=&pattern=}: newest first. */
public record JobPage(List<JobSummary> jobs, int offset, int limit, int total) {
}
