package dev.leadqual.udfs.understand;

/**
 * One filled slot.
 *
 * @param name one of {@link SlotNames}
 * @param value the normalised value (canonical forms are documented on {@link SlotNames})
 * @param text the surface text as written
 * @param start start char offset (inclusive) in the input text
 * @param end end char offset (exclusive) in the input text
 * @param confidence 0..1
 */
public record Slot(String name, String value, String text, int start, int end, double confidence) {}
