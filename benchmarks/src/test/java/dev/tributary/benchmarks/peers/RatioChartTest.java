package dev.tributary.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RatioChartTest {

  @Test
  void everySubjectOfTheSuiteHasAColourOfItsOwn() {
    int subjects = Subjects.all().size();
    Set<Color> colours = new HashSet<>();
    for (int i = 0; i < subjects; i++) {
      colours.add(RatioChart.colour(i));
    }
    assertEquals(subjects, colours.size(), "colours for " + subjects + " subjects");
  }
}
