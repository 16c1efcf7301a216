package dev.tributary.benchmarks.peers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart of ratios to the baseline on a log₂ axis, drawn with Java2D (headless), so
 * the report needs no chart library. Bars grow up from 1× when a subject is better than the
 * baseline and down when worse; measures where lower is better are inverted before they get here,
 * so up is always better.
 */
final class RatioChart {

  /** One measure: a ratio per subject (subjects without a value are left out). */
  record Group(String name, Map<String, Double> values) {}

  private static final int WIDTH = 1500;
  private static final int HEIGHT = 760;
  private static final int LEFT = 90;
  private static final int RIGHT = 260;
  private static final int TOP = 80;
  private static final int BOTTOM = 120;
  private static final int MAX_EXP = 7; // 128×
  private static final Color[] PALETTE = {
    new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3), new Color(0xe7298a),
    new Color(0x66a61e), new Color(0xe6ab02), new Color(0xa6761d), new Color(0x666666),
    // a ninth, so that the ninth subject (the hand-written sender) does not take the first's colour
    new Color(0x1f78b4),
  };

  private RatioChart() {}

  /** The colour of the {@code i}-th subject (from 0), in its bars and in the legend. */
  static Color colour(int i) {
    return PALETTE[i % PALETTE.length];
  }

  static void write(Path file, List<Group> groups, String baseline, String footer) throws IOException {
    List<String> subjects = new ArrayList<>();
    for (Subjects.Spec s : Subjects.all()) {
      for (Group g : groups) {
        if (g.values().containsKey(s.name()) && !subjects.contains(s.name())) {
          subjects.add(s.name());
        }
      }
    }
    double lo = 0;
    double hi = 0;
    for (Group g : groups) {
      for (double v : g.values().values()) {
        double e = log2(v);
        lo = Math.min(lo, e);
        hi = Math.max(hi, e);
      }
    }
    // headroom beyond the longest bars for their value labels
    int minExp = (int) Math.max(-MAX_EXP, Math.floor(lo - 0.7));
    int maxExp = (int) Math.min(MAX_EXP, Math.ceil(hi + 0.5));
    if (maxExp == minExp) {
      maxExp++;
    }

    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);

    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    final int fMin = minExp;
    final int fMax = maxExp;
    java.util.function.DoubleToIntFunction y = e ->
        TOP + (int) Math.round((fMax - Math.max(fMin, Math.min(fMax, e))) / (double) (fMax - fMin) * plotH);

    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
    g.drawString("Ratio to " + baseline + " in the same run (log scale; higher is better)", LEFT, 36);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString("drain time and peak RSS are inverted (" + baseline
        + "'s value ÷ the subject's), so up is better there too", LEFT, 58);

    // grid: one line per power of two
    for (int e = minExp; e <= maxExp; e++) {
      int yy = y.applyAsInt(e);
      g.setColor(e == 0 ? Color.BLACK : new Color(0xdddddd));
      g.setStroke(new BasicStroke(e == 0 ? 2f : 1f));
      g.drawLine(LEFT, yy, LEFT + plotW, yy);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      String label = e >= 0 ? (1 << e) + "×" : "1/" + (1 << -e) + "×";
      FontMetrics fm = g.getFontMetrics();
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), yy + 4);
    }

    int groupW = plotW / Math.max(1, groups.size());
    int barW = Math.max(4, (int) (groupW * 0.84 / Math.max(1, subjects.size())));
    for (int gi = 0; gi < groups.size(); gi++) {
      Group grp = groups.get(gi);
      int gx = LEFT + gi * groupW + (groupW - barW * subjects.size()) / 2;
      for (int si = 0; si < subjects.size(); si++) {
        Double v = grp.values().get(subjects.get(si));
        int x = gx + si * barW;
        if (v == null) {
          continue;
        }
        double e = log2(v);
        int y0 = y.applyAsInt(0);
        int y1 = y.applyAsInt(e);
        g.setColor(colour(si));
        g.fillRect(x + 1, Math.min(y0, y1), barW - 2, Math.max(2, Math.abs(y1 - y0)));
        // the value, written along the bar's end
        String text = format(v) + (e > MAX_EXP || e < -MAX_EXP ? " (off scale)" : "");
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        AffineTransform saved = g.getTransform();
        int ty = e >= 0 ? Math.min(y0, y1) - 4 : Math.max(y0, y1) + 4 + g.getFontMetrics().stringWidth(text);
        g.translate(x + barW / 2 + 4, ty);
        g.rotate(-Math.PI / 2);
        g.drawString(text, 0, 0);
        g.setTransform(saved);
      }
      // group label, wrapped on ", "
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      FontMetrics fm = g.getFontMetrics();
      String[] lines = grp.name().split(", ", 2);
      for (int li = 0; li < lines.length; li++) {
        String s = lines[li];
        g.drawString(s, LEFT + gi * groupW + (groupW - fm.stringWidth(s)) / 2, TOP + plotH + 24 + li * 17);
      }
    }

    // legend
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    int ly = TOP + 10;
    for (int si = 0; si < subjects.size(); si++) {
      g.setColor(colour(si));
      g.fillRect(WIDTH - RIGHT + 24, ly + si * 26, 16, 16);
      g.setColor(Color.BLACK);
      g.drawString(subjects.get(si), WIDTH - RIGHT + 48, ly + si * 26 + 13);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.DARK_GRAY);
    g.drawString(footer, LEFT, HEIGHT - 24);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static String format(double v) {
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.0f×", v);
    }
    if (v >= 0.1) {
      return String.format(Locale.ROOT, "%.2f×", v);
    }
    return String.format(Locale.ROOT, "%.3f×", v);
  }
}
