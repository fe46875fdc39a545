package dev.leadqual.statetools;

/** What inspect needs of one session in one operator (a POJO: Flink serialises it without Kryo). */
public class SessionSummary {
    /** {@link StateTools#QUALIFY} or {@link StateTools#DEDUPLICATE} uid. */
    public String operator;
    public String sessionId;
    public String tenantId;
    public boolean hasMemory;
    /** Bytes of session-memory serialised (Avro binary, as the state serializer writes it). */
    public int memoryBytes;
    public int tailTurns;
    public int eventTimers;
    public int seenEventIds;

    public SessionSummary() {}
}
