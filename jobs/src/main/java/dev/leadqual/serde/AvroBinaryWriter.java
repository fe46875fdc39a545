package dev.leadqual.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes a generated Avro record as Avro binary, byte for byte what {@code SpecificDatumWriter}
 * writes (AvroBinaryWriterTest), from a plan made once per schema: one small writer per field that
 * knows its type, instead of Avro's per-datum dispatch (logical-type conversion lookup, union
 * resolution by schema name, field lookup) on every value. Our output records carry
 * {@code timestamp-millis} fields, and Avro generates no fast coders for records with logical types.
 * Thread-safe once built.
 */
public final class AvroBinaryWriter<T extends SpecificRecord> {

    /** Writes one value of a known schema. */
    @FunctionalInterface
    interface ValueWriter {
        void write(Object value, Encoder out) throws IOException;
    }

    private final ValueWriter root;

    private AvroBinaryWriter(ValueWriter root) {
        this.root = root;
    }

    /** The writer for {@code type}'s own schema. */
    public static <T extends SpecificRecord> AvroBinaryWriter<T> of(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        return new AvroBinaryWriter<>(plan(schema, SpecificData.getForClass(type)));
    }

    public void write(T record, Encoder out) throws IOException {
        root.write(record, out);
    }

    static ValueWriter plan(Schema s, SpecificData data) {
        switch (s.getType()) {
            case RECORD: {
                List<Schema.Field> fields = s.getFields();
                ValueWriter[] writers = new ValueWriter[fields.size()];
                int[] positions = new int[fields.size()];
                for (int i = 0; i < writers.length; i++) {
                    writers[i] = plan(fields.get(i).schema(), data);
                    positions[i] = fields.get(i).pos();
                }
                return (v, out) -> {
                    SpecificRecord r = (SpecificRecord) v;
                    for (int i = 0; i < writers.length; i++) {
                        writers[i].write(r.get(positions[i]), out);
                    }
                };
            }
            case STRING:
                return (v, out) -> out.writeString((CharSequence) v);
            case LONG:
                if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return (v, out) -> out.writeLong(v instanceof Instant i ? i.toEpochMilli() : (Long) v);
                }
                if (s.getLogicalType() != null) {
                    return generic(s, data);
                }
                return (v, out) -> out.writeLong((Long) v);
            case INT:
                return s.getLogicalType() != null ? generic(s, data) : (v, out) -> out.writeInt((Integer) v);
            case DOUBLE:
                return (v, out) -> out.writeDouble((Double) v);
            case FLOAT:
                return (v, out) -> out.writeFloat((Float) v);
            case BOOLEAN:
                return (v, out) -> out.writeBoolean((Boolean) v);
            case NULL:
                return (v, out) -> out.writeNull();
            case BYTES:
                return s.getLogicalType() != null ? generic(s, data) : (v, out) -> out.writeBytes(((ByteBuffer) v).duplicate());
            case FIXED:
                return s.getLogicalType() != null ? generic(s, data) : (v, out) -> out.writeFixed(((GenericFixed) v).bytes());
            case ENUM: {
                Class<?> type = data.getClass(s);
                if (type == null || !type.isEnum()) {
                    return generic(s, data);
                }
                // The schema's ordinal of each constant of the generated enum, by name (as Avro writes it).
                Object[] constants = type.getEnumConstants();
                int[] ordinal = new int[constants.length];
                for (int i = 0; i < constants.length; i++) {
                    ordinal[i] = s.getEnumOrdinal(((Enum<?>) constants[i]).name());
                }
                return (v, out) -> out.writeEnum(ordinal[((Enum<?>) v).ordinal()]);
            }
            case ARRAY: {
                ValueWriter item = plan(s.getElementType(), data);
                return (v, out) -> {
                    Collection<?> c = (Collection<?>) v;
                    out.writeArrayStart();
                    out.setItemCount(c.size());
                    for (Object x : c) {
                        out.startItem();
                        item.write(x, out);
                    }
                    out.writeArrayEnd();
                };
            }
            case MAP: {
                ValueWriter value = plan(s.getValueType(), data);
                return (v, out) -> {
                    Map<?, ?> m = (Map<?, ?>) v;
                    out.writeMapStart();
                    out.setItemCount(m.size());
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        out.startItem();
                        out.writeString((CharSequence) e.getKey());
                        value.write(e.getValue(), out);
                    }
                    out.writeMapEnd();
                };
            }
            case UNION: {
                List<Schema> branches = s.getTypes();
                if (branches.size() == 2 && (branches.get(0).getType() == Schema.Type.NULL) != (branches.get(1).getType() == Schema.Type.NULL)) {
                    int nullIndex = branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
                    ValueWriter some = plan(branches.get(1 - nullIndex), data);
                    return (v, out) -> {
                        if (v == null) {
                            out.writeIndex(nullIndex);
                        } else {
                            out.writeIndex(1 - nullIndex);
                            some.write(v, out);
                        }
                    };
                }
                return generic(s, data);
            }
            default:
                return generic(s, data);
        }
    }

    /** Anything our schemas do not use: Avro's own writer for that value. */
    private static ValueWriter generic(Schema s, SpecificData data) {
        org.apache.avro.specific.SpecificDatumWriter<Object> w = new org.apache.avro.specific.SpecificDatumWriter<>(s, data);
        return w::write;
    }
}
