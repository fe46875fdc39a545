package dev.leadqual.udfs.understand;

import java.util.List;

/** The slot names an {@link Understanding} can carry. */
public final class SlotNames {
  public static final String EMAIL = "email";
  public static final String PHONE = "phone";
  /** Value: {@code MIN-MAX CUR/period}, e.g. {@code 75000-150000 EUR/year}; a single amount is {@code 100000 EUR/total}. */
  public static final String BUDGET = "budget";
  /** Value: {@code yyyy-MM-dd|bucket}, bucket one of now, this_quarter, this_year, later. */
  public static final String TIMELINE = "timeline";
  public static final String COMPANY = "company";
  /** Value: an integer count, e.g. {@code 200} (employees, users or seats; see text). */
  public static final String COMPANY_SIZE = "company_size";
  /** Value: decision_maker, influencer or user. */
  public static final String AUTHORITY = "authority";
  /** Value: a product catalogue id. */
  public static final String NEED = "need";
  public static final String NAME = "name";
  public static final String COMPETITOR = "competitor";

  public static final List<String> ALL =
      List.of(EMAIL, PHONE, BUDGET, TIMELINE, COMPANY, COMPANY_SIZE, AUTHORITY, NEED, NAME, COMPETITOR);

  private SlotNames() {}
}
