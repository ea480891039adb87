package net.goldentooth.events.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An operator's silence, on the compacted {@code alert.silences} topic (key: id). While
 * {@code startsAt <= now < endsAt} and not deleted, an alert whose labels satisfy every matcher is
 * not delivered to Alertmanager and is shown as silenced. Expiring a silence republishes it with
 * {@code endsAt} set to the moment of expiry; deleting it republishes it with {@code deletedAt},
 * after which it is no longer listed. Every change carries a later {@code updatedAt}; readers keep
 * the newest.
 *
 * @param createdBy the authenticated caller who created it (never free text from the request)
 * @param updatedBy the caller of the newest change (creation, expiry, deletion)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Silence(
        String id,
        List<SilenceMatcher> matchers,
        Instant startsAt,
        Instant endsAt,
        String comment,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt,
        Instant deletedAt) {
}
