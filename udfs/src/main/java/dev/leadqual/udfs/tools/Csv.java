package dev.leadqual.udfs.tools;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, newlines inside quotes), any delimiter. */
final class Csv {
  private final Reader in;
  private final char delim;
  private int peeked = -2;

  Csv(Reader in, char delim) {
    this.in = in;
    this.delim = delim;
  }

  private int read() throws IOException {
    if (peeked != -2) {
      int c = peeked;
      peeked = -2;
      return c;
    }
    return in.read();
  }

  /** Next record, or null at end of input. */
  List<String> next() throws IOException {
    int c = read();
    if (c == -1) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    boolean quoted = false;
    boolean fieldStart = true;
    while (true) {
      if (c == -1) {
        fields.add(sb.toString());
        return fields;
      }
      char ch = (char) c;
      if (quoted) {
        if (ch == '"') {
          int n = read();
          if (n == '"') {
            sb.append('"');
          } else {
            quoted = false;
            peeked = n;
          }
        } else {
          sb.append(ch);
        }
      } else if (ch == '"' && fieldStart) {
        quoted = true;
        fieldStart = false;
      } else if (ch == delim) {
        fields.add(sb.toString());
        sb.setLength(0);
        fieldStart = true;
      } else if (ch == '\n') {
        fields.add(sb.toString());
        return fields;
      } else if (ch == '\r') {
        // skip
      } else {
        sb.append(ch);
        fieldStart = false;
      }
      c = read();
    }
  }
}
