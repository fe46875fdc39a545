package dev.leadqual.udfs.understand;

import java.util.List;
import java.util.Map;

/** The fine intents and the category each belongs to. */
public final class Intents {
  public static final List<String> CATEGORIES = List.of("sales", "presales", "support", "other");

  /** Fine intent to category. */
  public static final Map<String, String> CATEGORY_OF = Map.ofEntries(
      Map.entry("demo_request", "sales"),
      Map.entry("purchase", "sales"),
      Map.entry("upgrade", "sales"),
      Map.entry("trial", "sales"),
      Map.entry("quote", "sales"),
      Map.entry("partnership", "sales"),
      Map.entry("contact_sales", "sales"),
      Map.entry("pricing", "presales"),
      Map.entry("product_info", "presales"),
      Map.entry("bug", "support"),
      Map.entry("billing_issue", "support"),
      Map.entry("how_to", "support"),
      Map.entry("account_access", "support"),
      Map.entry("cancellation", "support"),
      Map.entry("order_status", "support"),
      Map.entry("refund", "support"),
      Map.entry("greeting", "other"),
      Map.entry("thanks", "other"),
      Map.entry("answer", "other"),
      Map.entry("out_of_scope", "other"));

  /** The intent reported when a category wins without any cue for a finer intent. */
  public static final Map<String, String> DEFAULT_INTENT = Map.of(
      "sales", "purchase",
      "presales", "product_info",
      "support", "how_to",
      "other", "out_of_scope");

  public static int categoryIndex(String category) {
    return CATEGORIES.indexOf(category);
  }

  private Intents() {}
}
