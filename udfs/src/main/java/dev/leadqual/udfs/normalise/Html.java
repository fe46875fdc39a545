package dev.leadqual.udfs.normalise;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the HTML bodies some platforms send (Intercom) into plain text. */
public final class Html {
  private static final Pattern BLOCK = Pattern.compile("(?i)<\\s*(br|/p|/div|/li|/h[1-6]|/tr)\\b[^>]*>");
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern ENTITY = Pattern.compile("&(#x?[0-9a-fA-F]+|[a-zA-Z]+);");
  private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\r]+");
  private static final Pattern NEWLINES = Pattern.compile(" *\\n[ \\n]*");

  private Html() {}

  public static String toText(String html) {
    if (html == null) {
      return null;
    }
    if (html.indexOf('<') < 0 && html.indexOf('&') < 0) {
      return html.trim();
    }
    String s = BLOCK.matcher(html).replaceAll("\n");
    s = TAG.matcher(s).replaceAll("");
    Matcher m = ENTITY.matcher(s);
    StringBuilder sb = new StringBuilder(s.length());
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(entity(m.group(1), m.group())));
    }
    m.appendTail(sb);
    s = SPACES.matcher(sb.toString().replace('\u00a0', ' ')).replaceAll(" ");
    s = NEWLINES.matcher(s).replaceAll("\n");
    return s.trim();
  }

  private static String entity(String name, String whole) {
    if (name.startsWith("#")) {
      try {
        int cp = name.startsWith("#x") || name.startsWith("#X")
            ? Integer.parseInt(name.substring(2), 16)
            : Integer.parseInt(name.substring(1));
        return new String(Character.toChars(cp));
      } catch (IllegalArgumentException e) {
        return whole;
      }
    }
    switch (name) {
      case "amp": return "&";
      case "lt": return "<";
      case "gt": return ">";
      case "quot": return "\"";
      case "apos": return "'";
      case "nbsp": return " ";
      case "euro": return "€";
      case "pound": return "£";
      default: return whole;
    }
  }
}
