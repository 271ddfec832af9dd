// text/language.h: CLD2 on sentences of known languages, the unknown cases, the byte cap,
// invalid UTF-8, and primary subtags.
#include "warcpairs/text/language.h"

#include <gtest/gtest.h>

#include <string>

namespace warcpairs::text {
namespace {

struct Case {
  const char* code;
  const char* text;
};

TEST(Language, KnownSentences) {
  const Case cases[] = {
      {"en", "The committee will publish its final report on the new railway line next spring, "
             "after the public consultation has ended."},
      {"de", "Der Ausschuss wird seinen Abschlussbericht über die neue Bahnstrecke im nächsten "
             "Frühjahr veröffentlichen, nachdem die öffentliche Anhörung beendet ist."},
      {"pl", "Komisja opublikuje swoje końcowe sprawozdanie w sprawie nowej linii kolejowej "
             "wiosną przyszłego roku, po zakończeniu konsultacji społecznych."},
      {"fr", "La commission publiera son rapport final sur la nouvelle ligne de chemin de fer "
             "au printemps prochain, après la fin de la consultation publique."},
      {"es", "La comisión publicará su informe final sobre la nueva línea ferroviaria la "
             "próxima primavera, una vez terminada la consulta pública."},
      {"ja", "委員会は、パブリックコメントの終了後、来春に新しい鉄道路線に関する最終報告書を公表する予定です。"},
  };
  for (const Case& c : cases) {
    const LanguageGuess g = detect_language(c.text);
    EXPECT_EQ(g.code, c.code) << c.text;
    EXPECT_TRUE(g.reliable) << c.text;
    EXPECT_GT(g.percent, 80) << c.text;
  }
}

TEST(Language, NothingToDetect) {
  for (const char* t : {"", "   ", "12345 67890 !!! ???", "\xff\xfe\xfd invalid"}) {
    const LanguageGuess g = detect_language(t);
    EXPECT_EQ(g.code, "") << t;
    EXPECT_FALSE(g.reliable) << t;
  }
}

// The cap reads only the head, cut on a character boundary (a cut inside "ü" would make
// CLD2 call the whole text invalid UTF-8 and answer nothing).
TEST(Language, CapReadsTheHeadOnly) {
  // Distinct sentences: CLD2 discounts repeated text.
  const std::string de =
      "Über den Wolken muss die Freiheit wohl grenzenlos sein, sagen die Flieger. ";
  const std::string en =
      "The weather will stay dry and sunny for the rest of the week in the north. "
      "Farmers expect an early harvest after the warmest spring in twenty years. "
      "The city council voted on Tuesday to extend the tram line to the airport. "
      "Tickets for the summer concerts go on sale at the town hall next Monday. "
      "A new library with a large reading room for children opened in the old school. "
      "Rail services between the two cities will run every half hour from June. ";
  const std::string text = de + en + en;
  EXPECT_EQ(detect_language(text).code, "en");  // the default cap reaches the English part
  LanguageGuess g;
  detect_language(text, g, de.size());
  EXPECT_EQ(g.code, "de");
  detect_language(text, g, 1);  // "Ü" is two bytes: nothing whole is left
  EXPECT_EQ(g.code, "");
  detect_language(text, g, 0);
  EXPECT_EQ(g.code, "");
}

TEST(Language, PrimarySubtag) {
  EXPECT_EQ(primary_language("en-US"), "en");
  EXPECT_EQ(primary_language("de_CH"), "de");
  EXPECT_EQ(primary_language("zh-Hant"), "zh");
  EXPECT_EQ(primary_language("PL"), "pl");
  EXPECT_EQ(primary_language(""), "");
}

}  // namespace
}  // namespace warcpairs::text
