package net.goldentooth.provisioner.jobs;

/**
 * How many targets of a job may be outstanding at once: a count ({@code "10"}) or a share of the
 * targets ({@code "10%"}, like Salt's {@code -b 10%}), at least one.
 */
public record Concurrency(int value, boolean percent) {

    public static final Concurrency UNLIMITED = new Concurrency(Integer.MAX_VALUE, false);

    /** @throws JobRequestException naming the accepted forms */
    public static Concurrency parse(String text) {
        if (text == null) {
            return UNLIMITED;
        }
        String trimmed = text.strip();
        boolean percent = trimmed.endsWith("%");
        String digits = percent ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        int value;
        try {
            value = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        if (value <= 0 || (percent && value > 100)) {
            throw invalid(text);
        }
        return new Concurrency(value, percent);
    }

    /** The window for a job of {@code targets} targets. */
    public int window(int targets) {
        if (!percent) {
            return Math.min(value, Math.max(targets, 1));
        }
        return Math.max(1, (int) Math.ceil(targets * (value / 100.0)));
    }

    private static JobRequestException invalid(String text) {
        return new JobRequestException("concurrency '" + text
                + "' is invalid; expected a number N > 0 or a percentage N% with 0 < N <= 100");
    }
}
