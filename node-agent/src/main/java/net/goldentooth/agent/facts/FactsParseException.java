package net.goldentooth.agent.facts;

/** Text from the kernel or a tool that does not have the expected shape; the section goes stale with this message. */
public class FactsParseException extends RuntimeException {
    public FactsParseException(String message) {
        super(message);
    }
}
