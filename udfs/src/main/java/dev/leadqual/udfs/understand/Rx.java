package dev.leadqual.udfs.understand;

import java.util.IdentityHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Per-thread reusable matchers: a Matcher costs allocations (group arrays) on every creation. */
final class Rx {
  private static final ThreadLocal<IdentityHashMap<Pattern, Matcher>> MATCHERS =
      ThreadLocal.withInitial(() -> new IdentityHashMap<>(64));

  private Rx() {}

  /** A matcher of p over s, reused per thread; do not hold it across calls that use the same pattern. */
  static Matcher m(Pattern p, CharSequence s) {
    IdentityHashMap<Pattern, Matcher> map = MATCHERS.get();
    Matcher m = map.get(p);
    if (m == null) {
      m = p.matcher(s);
      map.put(p, m);
      return m;
    }
    return m.reset(s);
  }
}
