package dev.leadqual.statetools;

import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * One session's keyed state as the savepoint tools move it around: from the qualify operator its
 * memory, transcript tail and event-time timers; from the deduplicate operator its seen event ids.
 * Fields a given operator does not hold are null. Serialised by Flink's POJO serializer with Avro
 * for the state records (no Kryo).
 */
@TypeInfo(SessionState.Factory.class)
public class SessionState {

    public String sessionId;
    /** {@code session-memory}; null when only a tail (or nothing) is left. */
    public SessionMemory memory;
    /** {@code transcript-tail}, oldest first. */
    public List<TranscriptTurn> tail;
    /** Registered event-time timers of the qualify operator (inactivity, handoff SLA). */
    public List<Long> eventTimers;
    /** {@code seen-event-ids} of the deduplicate operator: event id → event time. */
    public Map<String, Long> seenEventIds;

    public SessionState() {}

    public static SessionState qualify(String sessionId, SessionMemory memory, List<TranscriptTurn> tail, List<Long> timers) {
        SessionState s = new SessionState();
        s.sessionId = sessionId;
        s.memory = memory;
        s.tail = tail == null ? new ArrayList<>() : tail;
        s.eventTimers = timers == null ? new ArrayList<>() : timers;
        return s;
    }

    public static SessionState dedup(String sessionId, Map<String, Long> seen) {
        SessionState s = new SessionState();
        s.sessionId = sessionId;
        s.seenEventIds = seen == null ? new LinkedHashMap<>() : seen;
        return s;
    }

    public String getSessionId() {
        return sessionId;
    }

    public static TypeInformation<SessionState> typeInfo() {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        fields.put("sessionId", Types.STRING);
        fields.put("memory", new AvroTypeInfo<>(SessionMemory.class));
        fields.put("tail", Types.LIST(new AvroTypeInfo<>(TranscriptTurn.class)));
        fields.put("eventTimers", Types.LIST(Types.LONG));
        fields.put("seenEventIds", Types.MAP(Types.STRING, Types.LONG));
        return Types.POJO(SessionState.class, fields);
    }

    /** Lets Flink's type extraction find {@link #typeInfo()} wherever a SessionState stream appears. */
    public static final class Factory extends TypeInfoFactory<SessionState> {
        @Override
        public TypeInformation<SessionState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return typeInfo();
        }
    }
}
