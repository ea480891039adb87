package net.goldentooth.events.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One dataset × target pair on the compacted {@code storage.replication} topic
 * (key {@code <dataset>-><target>}).
 *
 * @param lastCommon        the newest snapshot source and target share (the incremental base); null if none
 * @param sourceNewest      the newest snapshot on the source
 * @param snapshotsBehind   source snapshots newer than {@code lastCommon}
 * @param lagSeconds        creation time of {@code sourceNewest} minus that of {@code lastCommon}
 * @param bytesSent         stream bytes sent by the last run
 * @param lastError         why the last run failed or stopped; null after a success
 * @param lastSuccessAt     when the pair was last brought in sync
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplicationStatus(
        String dataset,
        String source,
        String target,
        ReplicationState state,
        String lastCommon,
        String sourceNewest,
        int snapshotsBehind,
        long lagSeconds,
        long bytesSent,
        String lastError,
        Instant updatedAt,
        Instant lastSuccessAt) {

    public static String key(String dataset, String target) {
        return dataset + "->" + target;
    }
}
