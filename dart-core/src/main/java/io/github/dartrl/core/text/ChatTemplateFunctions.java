package io.github.dartrl.core.text;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The global functions transformers gives chat templates. */
public final class ChatTemplateFunctions {
  private ChatTemplateFunctions() {}

  /** {@code raise_exception(message)}: the template refuses its input. */
  public static String raiseException(String message) {
    throw new ChatTemplateException(message);
  }

  /**
   * {@code strftime_now(format)}: the current local time in Python's strftime notation (the
   * directives chat templates use: %d %m %Y %y %b %B %a %A %H %M %S %j %%).
   */
  public static String strftimeNow(String format) {
    LocalDateTime now = LocalDateTime.now();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 == format.length()) {
        out.append(c);
        continue;
      }
      char d = format.charAt(++i);
      String pattern =
          switch (d) {
            case 'd' -> "dd";
            case 'm' -> "MM";
            case 'Y' -> "yyyy";
            case 'y' -> "yy";
            case 'b' -> "MMM";
            case 'B' -> "MMMM";
            case 'a' -> "EEE";
            case 'A' -> "EEEE";
            case 'H' -> "HH";
            case 'M' -> "mm";
            case 'S' -> "ss";
            case 'j' -> "DDD";
            default -> null;
          };
      if (d == '%') {
        out.append('%');
      } else if (pattern == null) {
        out.append('%').append(d);
      } else {
        out.append(now.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
      }
    }
    return out.toString();
  }
}
