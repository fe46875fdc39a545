package dev.leadqual.udfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Readers for the public data sets in shared/data (never copied into the repo) and for the
 * hand-written seed chats, mapped to our categories with label_mapping.json.
 */
public final class Datasets {
  /**
   * One labelled message. fine may be null (not mappable); conversation is the dialogue id where
   * the set has one (MultiDoGO), else null; label is the data set's own label (MultiDoGO: the
   * turn's intent field); slotAnswer is true for a MultiDoGO turn whose every word is tagged as a
   * slot value or is a dialogue-act word ("ok", "yes 2 lemonade", "meat eater").
   */
  public record Example(String dataset, String split, String text, String category, String fine, boolean wantsHuman, String conversation,
      String label, boolean slotAnswer) {}

  /** Words that carry no request by themselves (MultiDoGO slot answers are these plus slot values). */
  static final Set<String> DIALOGUE_ACT_WORDS = Set.of(("ok okay k yes yeah yep ya yup no nope nah hi hello hey thanks thank you thankyou "
      + "sure please pls sir madam mam maam fine good great morning evening afternoon alright right correct thats its it is that all and "
      + "also then so well oh just one more perfect cool nice done").split(" "));

  /** A gold slot span. */
  public record GoldSlot(String slot, int start, int end) {}

  /** A message with gold slot spans. */
  public record SlotExample(String dataset, String text, List<GoldSlot> slots) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final JsonNode mapping;

  public Datasets(Path dir) throws IOException {
    this.dir = dir;
    this.mapping = JSON.readTree(dir.resolve("label_mapping.json").toFile());
  }

  /** Resolves the data dir: the argument, else ../shared/data from the repo root, else /work/shared/data. */
  public static Path locate(String[] args) {
    if (args.length > 0) {
      return Path.of(args[0]);
    }
    for (Path p : List.of(Path.of("../shared/data"), Path.of("../../shared/data"), Path.of("/work/shared/data"))) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return Path.of("../shared/data");
  }

  private String bucket(String dataset, String label) {
    JsonNode m = mapping.get(dataset);
    for (String b : List.of("sales", "presales", "support", "other")) {
      JsonNode arr = m.get(b);
      if (arr != null && arr.isArray()) {
        for (JsonNode x : arr) {
          if (x.asText().equals(label)) {
            return b;
          }
        }
      }
    }
    return m.path("default").asText("other");
  }

  // ---------------------------------------------------------------- fine-intent maps (where clean)
  static final Map<String, String> BITEXT_FINE = Map.ofEntries(
      Map.entry("place_order", "purchase"), Map.entry("create_account", "trial"),
      Map.entry("cancel_order", "cancellation"), Map.entry("delete_account", "cancellation"),
      Map.entry("check_cancellation_fee", "cancellation"),
      Map.entry("get_refund", "refund"), Map.entry("track_refund", "refund"), Map.entry("check_refund_policy", "refund"),
      Map.entry("track_order", "order_status"), Map.entry("delivery_period", "order_status"),
      Map.entry("check_invoice", "billing_issue"), Map.entry("get_invoice", "billing_issue"), Map.entry("payment_issue", "billing_issue"),
      Map.entry("recover_password", "account_access"), Map.entry("registration_problems", "account_access"));
  static final Map<String, String> CLINC_FINE = Map.of(
      "greeting", "greeting", "thank_you", "thanks", "oos", "out_of_scope");
  static final Map<String, String> BANKING_FINE = Map.ofEntries(
      Map.entry("request_refund", "refund"), Map.entry("Refund_not_showing_up", "refund"),
      Map.entry("passcode_forgotten", "account_access"), Map.entry("pin_blocked", "account_access"),
      Map.entry("terminate_account", "cancellation"),
      Map.entry("card_payment_fee_charged", "billing_issue"), Map.entry("extra_charge_on_statement", "billing_issue"),
      Map.entry("transfer_fee_charged", "billing_issue"), Map.entry("direct_debit_payment_not_recognised", "billing_issue"),
      Map.entry("card_arrival", "order_status"));
  static final Map<String, String> MULTIDOGO_FINE = Map.ofEntries(
      Map.entry("openinggreeting", "greeting"), Map.entry("thankyou", "thanks"), Map.entry("getpromotions", "pricing"),
      Map.entry("upgradeserviceintent", "upgrade"), Map.entry("cancelserviceintent", "cancellation"), Map.entry("outofdomain", "out_of_scope"),
      Map.entry("contentonly", "answer"), Map.entry("viewbillsintent", "billing_issue"));

  // ---------------------------------------------------------------- intents

  public List<Example> banking77() throws IOException {
    List<Example> out = new ArrayList<>();
    for (String split : List.of("train", "test")) {
      try (Reader r = reader(dir.resolve("banking77/" + split + ".csv"))) {
        Csv csv = new Csv(r, ',');
        csv.next();
        List<String> f;
        while ((f = csv.next()) != null) {
          if (f.size() < 2 || f.get(0).isBlank()) {
            continue;
          }
          out.add(new Example("banking77", split, f.get(0), bucket("banking77", f.get(1)), BANKING_FINE.get(f.get(1)), false, null, f.get(1), false));
        }
      }
    }
    return out;
  }

  public List<Example> clinc150() throws IOException {
    JsonNode d = JSON.readTree(dir.resolve("clinc150/data_full.json").toFile());
    JsonNode domains = JSON.readTree(dir.resolve("clinc150/domains.json").toFile());
    Set<String> supportIntents = new HashSet<>();
    for (String dom : List.of("banking", "credit_cards")) {
      for (JsonNode i : domains.path(dom)) {
        supportIntents.add(i.asText());
      }
    }
    List<Example> out = new ArrayList<>();
    for (String split : List.of("train", "val", "test", "oos_train", "oos_val", "oos_test")) {
      for (JsonNode row : d.path(split)) {
        String text = row.get(0).asText();
        String label = row.get(1).asText();
        String b = bucket("clinc150", label);
        if ("other".equals(b) && supportIntents.contains(label)) {
          b = "support";
        }
        String s = split.endsWith("test") ? "test" : "train";
        out.add(new Example("clinc150", s, text, b, CLINC_FINE.get(label), false, null, label, false));
      }
    }
    return out;
  }

  public List<Example> bitext() throws IOException {
    List<Example> out = new ArrayList<>();
    Path p = Files.list(dir.resolve("bitext_customer_support")).filter(x -> x.toString().endsWith(".csv")).findFirst().orElseThrow();
    try (Reader r = reader(p)) {
      Csv csv = new Csv(r, ',');
      List<String> header = csv.next();
      int ti = header.indexOf("instruction");
      int ii = header.indexOf("intent");
      List<String> f;
      while ((f = csv.next()) != null) {
        if (f.size() <= Math.max(ti, ii)) {
          continue;
        }
        String text = f.get(ti);
        String intent = f.get(ii);
        String split = Math.floorMod(text.hashCode(), 5) == 0 ? "test" : "train";
        out.add(new Example("bitext_customer_support", split, text, bucket("bitext_customer_support", intent), BITEXT_FINE.get(intent),
            intent.equals("contact_human_agent"), null, intent, false));
      }
    }
    return out;
  }

  public List<Example> multidogo() throws IOException {
    List<Example> out = new ArrayList<>();
    for (String domain : List.of("airline", "fastfood", "finance", "insurance", "media", "software")) {
      for (String split : List.of("train", "dev")) {
        for (List<String> f : tsv(dir.resolve("multidogo/turn_level/" + domain + "/" + split + ".tsv"))) {
          String text = f.get(3);
          String[] intents = f.get(5).split("<div>");
          String best = "other";
          String fine = null;
          for (String i : intents) {
            String b = bucket("multidogo", i.trim());
            if (rank(b) < rank(best)) {
              best = b;
            }
            if (intents.length == 1) {
              fine = MULTIDOGO_FINE.get(i.trim());
            }
          }
          out.add(new Example("multidogo", "dev".equals(split) ? "test" : "train", text, best, fine, false, domain + "/" + f.get(0), f.get(5),
              slotAnswer(text, f.get(4))));
        }
      }
    }
    return out;
  }

  /** Every token is slot-tagged or a dialogue-act word (rows whose token and tag counts differ: false). */
  static boolean slotAnswer(String text, String tags) {
    String[] toks = text.split(" ");
    String[] labs = tags.trim().split(" ");
    if (toks.length != labs.length) {
      return false;
    }
    for (int i = 0; i < toks.length; i++) {
      if ("O".equals(labs[i]) && !toks[i].isEmpty() && !DIALOGUE_ACT_WORDS.contains(toks[i].toLowerCase(java.util.Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  private static int rank(String b) {
    return List.of("sales", "presales", "support", "other").indexOf(b);
  }

  /** Hand-written B2B SaaS chats (seed-chats.tsv resource, train only). */
  public static List<Example> seed() throws IOException {
    List<Example> out = new ArrayList<>();
    for (String line : resourceLines("seed-chats.tsv")) {
      String[] f = line.split("\t");
      String intent = f[1];
      if ("human".equals(intent)) {
        out.add(new Example("seed", "train", f[2], null, null, true, null, intent, false));
        continue;
      }
      out.add(new Example("seed", "train", f[2], dev.leadqual.udfs.understand.Intents.CATEGORY_OF.get(intent), intent, false, null, intent, false));
    }
    return out;
  }

  /** The lines of a hand-written resource next to the models, without blank lines and # comments. */
  private static List<String> resourceLines(String name) throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = Datasets.class.getResourceAsStream("/dev/leadqual/udfs/understand/" + name);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line);
        }
      }
    }
    return out;
  }

  private static final java.util.regex.Pattern MARKED = java.util.regex.Pattern.compile("\\{(PER|ORG):([^}]+)}");

  /**
   * Hand-written English chat lines with marked person and company names (seed-entities.txt
   * resource, tagger training only): {@code {PER:Grace Okafor}}, {@code {ORG:Kestrel Foods}}.
   */
  public static List<SlotExample> seedEntities() throws IOException {
    List<SlotExample> out = new ArrayList<>();
    for (String line : resourceLines("seed-entities.txt")) {
      StringBuilder text = new StringBuilder();
      List<GoldSlot> gold = new ArrayList<>();
      java.util.regex.Matcher m = MARKED.matcher(line);
      int last = 0;
      while (m.find()) {
        text.append(line, last, m.start());
        int start = text.length();
        text.append(m.group(2));
        gold.add(new GoldSlot("PER".equals(m.group(1)) ? "name" : "company", start, text.length()));
        last = m.end();
      }
      text.append(line.substring(last));
      out.add(new SlotExample("seed", text.toString(), gold));
    }
    return out;
  }

  private List<List<String>> tsv(Path p) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    try (Reader r = reader(p)) {
      Csv csv = new Csv(r, '\t');
      List<String> header = csv.next();
      List<String> f;
      while ((f = csv.next()) != null) {
        if (f.size() >= header.size()) {
          rows.add(f);
        }
      }
    }
    return rows;
  }

  private static Reader reader(Path p) throws IOException {
    return new BufferedReader(new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8), 1 << 16);
  }

  // ---------------------------------------------------------------- slots

  static final Map<String, String> NLUPP_SLOTS = Map.of(
      "amount_of_money", "budget", "date", "timeline", "date_period", "timeline", "date_from", "timeline", "date_to", "timeline",
      "company_name", "company", "person_name", "name");
  static final Map<String, String> MULTIDOGO_SLOTS = Map.ofEntries(
      Map.entry("email_address", "email"), Map.entry("phone_number", "phone"), Map.entry("phonenumber", "phone"),
      Map.entry("name", "name"), Map.entry("company_name", "company"), Map.entry("cost", "budget"), Map.entry("price", "budget"),
      Map.entry("date", "timeline"), Map.entry("dates", "timeline"), Map.entry("start_date", "timeline"), Map.entry("end_date", "timeline"));

  public List<SlotExample> nluppSlots() throws IOException {
    return nluppSlots("all");
  }

  /** NLU++ has 20 folds per domain and no fixed split: folds 16-19 are our test split, 0-15 train. */
  static boolean nluppTestFold(Path p) {
    String n = p.getFileName().toString().replaceAll("\\D", "");
    return !n.isEmpty() && Integer.parseInt(n) >= 16;
  }

  /** NLU++ messages with gold slots; split "train" (folds 0-15), "test" (folds 16-19) or "all". */
  public List<SlotExample> nluppSlots(String split) throws IOException {
    List<SlotExample> out = new ArrayList<>();
    for (String domain : List.of("banking", "hotels")) {
      try (var files = Files.list(dir.resolve("nlupp/" + domain))) {
        for (Path p : files.sorted().toList()) {
          if (!"all".equals(split) && nluppTestFold(p) != "test".equals(split)) {
            continue;
          }
          for (JsonNode row : JSON.readTree(p.toFile())) {
            List<GoldSlot> gold = new ArrayList<>();
            JsonNode slots = row.path("slots");
            slots.fieldNames().forEachRemaining(name -> {
              String ours = NLUPP_SLOTS.get(name);
              if (ours != null) {
                JsonNode span = slots.get(name).path("span");
                gold.add(new GoldSlot(ours, span.get(0).asInt(), span.get(1).asInt()));
              }
            });
            out.add(new SlotExample("nlupp", row.path("text").asText(), gold));
          }
        }
      }
    }
    return out;
  }

  /** Multidogo dev turns with token-level slot tags turned into char spans (mismatched rows skipped). */
  public List<SlotExample> multidogoSlots() throws IOException {
    return multidogoSlots("dev");
  }

  /** Multidogo turns of the given split ("train" or "dev") with token-level slot tags as char spans. */
  public List<SlotExample> multidogoSlots(String split) throws IOException {
    List<SlotExample> out = new ArrayList<>();
    for (String domain : List.of("airline", "fastfood", "finance", "insurance", "media", "software")) {
      for (List<String> f : tsv(dir.resolve("multidogo/turn_level/" + domain + "/" + split + ".tsv"))) {
        String text = f.get(3);
        String[] toks = text.split(" ");
        String[] labs = f.get(4).trim().split(" ");
        if (toks.length != labs.length) {
          continue;
        }
        out.add(new SlotExample("multidogo", text, spans(toks, labs, MULTIDOGO_SLOTS, false)));
      }
    }
    return out;
  }

  public List<SlotExample> wnutSlots() throws IOException {
    return wnutSlots("test");
  }

  /** WNUT17 sentences (tokens joined by spaces) of the split "train", "dev" or "test"; person and corporation spans. */
  public List<SlotExample> wnutSlots(String split) throws IOException {
    String file = switch (split) {
      case "train" -> "wnut17/wnut17train.conll";
      case "dev" -> "wnut17/emerging.dev.conll";
      default -> "wnut17/emerging.test.annotated";
    };
    List<SlotExample> out = new ArrayList<>();
    List<String> toks = new ArrayList<>();
    List<String> labs = new ArrayList<>();
    Map<String, String> map = Map.of("person", "name", "corporation", "company");
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8));
    lines.add("");
    for (String line : lines) {
      if (line.isBlank()) {
        if (!toks.isEmpty()) {
          out.add(new SlotExample("wnut17", String.join(" ", toks), spans(toks.toArray(new String[0]), labs.toArray(new String[0]), map, true)));
          toks.clear();
          labs.clear();
        }
        continue;
      }
      String[] f = line.split("\t");
      toks.add(f[0]);
      labs.add(f.length > 1 ? f[f.length - 1] : "O");
    }
    return out;
  }

  private static List<GoldSlot> spans(String[] toks, String[] labs, Map<String, String> map, boolean bio) {
    List<GoldSlot> gold = new ArrayList<>();
    int pos = 0;
    String cur = null;
    int curStart = 0;
    int curEnd = 0;
    for (int i = 0; i < toks.length; i++) {
      String lab = labs[i];
      String type = lab;
      boolean begin = false;
      if (bio) {
        begin = lab.startsWith("B-");
        type = lab.length() > 2 && lab.charAt(1) == '-' ? lab.substring(2) : lab;
      }
      String ours = map.get(type);
      if (cur != null && (ours == null || !ours.equals(cur) || begin)) {
        gold.add(new GoldSlot(cur, curStart, curEnd));
        cur = null;
      }
      if (ours != null) {
        if (cur == null) {
          cur = ours;
          curStart = pos;
        }
        curEnd = pos + toks[i].length();
      }
      pos += toks[i].length() + 1;
    }
    if (cur != null) {
      gold.add(new GoldSlot(cur, curStart, curEnd));
    }
    return gold;
  }

  static Map<String, Integer> counts(List<Example> ex) {
    Map<String, Integer> m = new HashMap<>();
    for (Example e : ex) {
      m.merge(e.category(), 1, Integer::sum);
    }
    return m;
  }
}
