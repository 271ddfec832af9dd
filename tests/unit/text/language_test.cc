// text/language.h: CLD2 on sentences of known languages, the unknown cases, the byte cap,
// invalid UTF-8, and primary subtags.
#include "warcpairs/text/language.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

// A page's sample: a short text whole; a long one as evenly spaced slices from its first byte
// to its last, cut on character boundaries, joined by "\n".
TEST(PageLanguage, SampleSlicesTheWholeText) {
  std::string scratch = "left over";
  EXPECT_EQ(page_language_sample("", scratch), "");
  const std::string short_text(kPageSampleBytes, 'a');
  EXPECT_EQ(page_language_sample(short_text, scratch).data(), short_text.data());  // no copy
  // 2-byte characters ("ü") with an odd-length head: every cut falls between characters only
  // if the code looks for the boundary.
  std::string text = "x";
  while (text.size() < 10 * kPageSampleBytes) text += "\xc3\xbc";
  text += "END";
  const std::string_view sample = page_language_sample(text, scratch);
  EXPECT_EQ(sample.data(), scratch.data());
  // Each slice moves its start back to a character's first byte (3 bytes at most).
  EXPECT_LE(sample.size(), kPageSampleBytes + 4 * kPageSampleSlices);
  EXPECT_GE(sample.size(), kPageSampleBytes - 4 * kPageSampleSlices);
  EXPECT_EQ(sample.substr(0, 1), "x");             // the first slice starts at byte 0
  EXPECT_EQ(sample.substr(sample.size() - 3), "END");  // the last ends at the text's end
  std::size_t joins = 0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    if (sample[i] != '\n') continue;
    ++joins;
    // Each slice starts on a lead byte and the one before it ends after a whole character.
    ASSERT_LT(i + 1, sample.size());
    EXPECT_NE(static_cast<unsigned char>(sample[i + 1]) & 0xC0, 0x80) << i;
    EXPECT_EQ(static_cast<unsigned char>(sample[i - 1]), 0xBCu) << i;
  }
  EXPECT_EQ(joins, kPageSampleSlices - 1);
  // A middle slice comes from the middle of the text: the sample is not the head.
  EXPECT_EQ(sample.find("x", 1), std::string_view::npos);
}

// A context's window: centred on the image, shifted inside the text at its ends, on
// character boundaries; a short context whole.
TEST(ContextLanguage, WindowAroundTheImage) {
  using W = std::pair<std::size_t, std::size_t>;
  EXPECT_EQ(language_window("short text", 3), W(0, 10));
  EXPECT_EQ(language_window("", 0), W(0, 0));
  const std::string ascii(1000, 'a');
  EXPECT_EQ(language_window(ascii, 500), W(500 - kContextLanguageBytes / 2, 500 + kContextLanguageBytes / 2));
  EXPECT_EQ(language_window(ascii, 0), W(0, kContextLanguageBytes));      // image first
  EXPECT_EQ(language_window(ascii, 1000), W(1000 - kContextLanguageBytes, 1000));  // image last
  EXPECT_EQ(language_window(ascii, 990), W(1000 - kContextLanguageBytes, 1000));
  EXPECT_EQ(language_window(ascii, 500, 10), W(495, 505));
  // "ü" is 2 bytes from byte 1 on ("x" first): an odd start is inside a character and moves
  // back one; the end moves back to a boundary too.
  std::string u = "x";
  for (int i = 0; i < 400; ++i) u += "\xc3\xbc";
  const W w = language_window(u, 402, 100);  // nominal [352, 452)
  EXPECT_EQ(w, W(351, 451));
  for (const std::size_t b : {w.first, w.second})
    EXPECT_NE(static_cast<unsigned char>(u[b]) & 0xC0, 0x80) << b;
  EXPECT_EQ(language_window(u, 801, 100), W(701, 801));  // at the end: ends at the end
}

// Bad bytes never crash and never read outside the text: continuation bytes only (no
// character boundary anywhere), invalid bytes, an image position past the end.
TEST(PageLanguage, BadBytesAreSafe) {
  std::string scratch;
  LanguageGuess g;
  for (const std::string& t : {std::string(5000, '\x80'), std::string(3000, '\xff'),
                               std::string(kPageSampleBytes + 1, '\xbf')}) {
    const std::string_view sample = page_language_sample(t, scratch);
    EXPECT_LE(sample.size(), kPageSampleBytes + kPageSampleSlices);
    detect_page_language(t, g, scratch);
    EXPECT_EQ(g.code, "");
    const auto w = language_window(t, t.size() + 100);
    EXPECT_LE(w.first, w.second);
    EXPECT_LE(w.second, t.size());
  }
}

// The point of slicing: a page whose head is English navigation and whose body is German
// reads as German, where the head alone reads as English.
TEST(PageLanguage, BodyOutweighsAnEnglishHead) {
  const std::string nav =
      "Home News Sport Weather Contact About us Login Register Search Privacy policy Terms ";
  const std::string de[] = {
      "Die Bundesregierung hat am Mittwoch neue Maßnahmen zur Förderung der erneuerbaren "
      "Energien beschlossen, die ab dem kommenden Jahr gelten sollen. ",
      "Kritiker bemängeln jedoch die hohen Kosten für die Verbraucher und die langsame "
      "Umsetzung in den Ländern. ",
      "Der Ausschuss wird seinen Abschlussbericht über die neue Bahnstrecke im nächsten "
      "Frühjahr veröffentlichen, nachdem die öffentliche Anhörung beendet ist. ",
      "Das neue Museum am Fluss zeigt Gemälde aus drei Jahrhunderten und alte Karten der "
      "Region. ",
      "Im Sommer fahren die Schiffe jede Stunde von der Brücke bis zum alten Hafen. "};
  std::string text;
  while (text.size() < kPageSampleBytes) text += nav;
  for (int round = 0; round < 6; ++round)
    for (const std::string& s : de) text += s;
  text += "Kontakt Impressum Datenschutz";
  LanguageGuess head;
  detect_language(text, head, kPageSampleBytes);
  EXPECT_EQ(head.code, "en");
  std::string scratch;
  LanguageGuess page;
  detect_page_language(text, page, scratch);
  EXPECT_EQ(page.code, "de");
  EXPECT_TRUE(page.reliable);
  // A text no longer than the sample is read whole, as detect_language reads it.
  detect_page_language(de[0], page, scratch);
  EXPECT_EQ(page.code, detect_language(de[0]).code);
}

TEST(Language, PrimarySubtag) {
  EXPECT_EQ(primary_language("en-US"), "en");
  EXPECT_EQ(primary_language("de_CH"), "de");
  EXPECT_EQ(primary_language("zh-Hant"), "zh");
  EXPECT_EQ(primary_language("PL"), "pl");
  EXPECT_EQ(primary_language(""), "");
}

// One pass with chunks: an English paragraph then a German one; the chunks lie in order,
// cover the text, and the ranges inside each paragraph take its language.
TEST(LanguageChunks, OnePassTwoLanguages) {
  const std::string en =
      "The weather will stay dry and sunny for the rest of the week in the north. "
      "Farmers expect an early harvest after the warmest spring in twenty years. "
      "The city council voted on Tuesday to extend the tram line to the airport. ";
  const std::string de =
      "Die Bundesregierung hat am Mittwoch neue Maßnahmen zur Förderung der erneuerbaren "
      "Energien beschlossen, die ab dem kommenden Jahr gelten sollen. Kritiker bemängeln "
      "jedoch die hohen Kosten für die Verbraucher und die langsame Umsetzung. ";
  const std::string text = en + de;
  LanguageGuess summary;
  std::vector<LanguageChunk> chunks = {{0, 1, "xx"}};  // cleared by the call
  detect_language_chunks(text, summary, chunks, text.size());
  ASSERT_GE(chunks.size(), 2u);
  EXPECT_EQ(chunks.front().begin, 0u);
  EXPECT_EQ(chunks.back().end, text.size());
  for (std::size_t k = 1; k < chunks.size(); ++k) EXPECT_EQ(chunks[k].begin, chunks[k - 1].end);
  EXPECT_FALSE(summary.code.empty());
  LanguageGuess g;
  language_of_range(chunks, 10, en.size() - 10, g);
  EXPECT_EQ(g.code, "en");
  EXPECT_TRUE(g.reliable);
  language_of_range(chunks, en.size() + 10, text.size() - 10, g);
  EXPECT_EQ(g.code, "de");
  EXPECT_TRUE(g.reliable);
  // The same summary as a plain call on the same bytes.
  const LanguageGuess plain = detect_language(text);
  EXPECT_EQ(summary.code, plain.code);
  EXPECT_EQ(summary.reliable, plain.reliable);
}

// The mapping alone, on hand-made chunks.
TEST(LanguageChunks, RangeSpanningTwoLanguagesTakesTheMajorityByBytes) {
  const std::vector<LanguageChunk> chunks = {{0, 100, "en"}, {100, 300, "de"}, {300, 400, "en"}};
  LanguageGuess g;
  language_of_range(chunks, 60, 160, g);  // 40 bytes en, 60 de
  EXPECT_EQ(g.code, "de");
  EXPECT_EQ(g.percent, 60);
  EXPECT_FALSE(g.reliable);  // 60 % < 3/4
  language_of_range(chunks, 75, 175, g);  // 25 en, 75 de: exactly 3/4
  EXPECT_EQ(g.code, "de");
  EXPECT_TRUE(g.reliable);
  language_of_range(chunks, 90, 190, g);  // 10 en, 90 de
  EXPECT_EQ(g.code, "de");
  EXPECT_EQ(g.percent, 90);
  EXPECT_TRUE(g.reliable);
  language_of_range(chunks, 50, 350, g);  // en 50 + 50 = 100 bytes, de 200: de
  EXPECT_EQ(g.code, "de");
  language_of_range(chunks, 0, 120, g);  // 100 en, 20 de
  EXPECT_EQ(g.code, "en");
  EXPECT_TRUE(g.reliable);
  // Bytes of one language in two chunks add up: en 100 + 90 = 190 > de 150.
  const std::vector<LanguageChunk> split = {{0, 100, "en"}, {100, 250, "de"}, {250, 400, "en"}};
  language_of_range(split, 0, 340, g);
  EXPECT_EQ(g.code, "en");
  EXPECT_EQ(g.percent, 55);
  EXPECT_FALSE(g.reliable);
}

TEST(LanguageChunks, RangeOutsideAnyChunkOrInUnknownOnesIsUnknown) {
  const std::vector<LanguageChunk> chunks = {{0, 100, "en"}, {100, 200, nullptr}, {300, 400, "pl"}};
  LanguageGuess g;
  g.code = "xx", g.reliable = true, g.percent = 7;
  language_of_range(chunks, 200, 300, g);  // a gap between chunks
  EXPECT_EQ(g.code, "");
  EXPECT_FALSE(g.reliable);
  EXPECT_EQ(g.percent, 0);
  language_of_range(chunks, 500, 600, g);  // past the last chunk
  EXPECT_EQ(g.code, "");
  language_of_range(chunks, 110, 190, g);  // only in an unknown chunk
  EXPECT_EQ(g.code, "");
  language_of_range(chunks, 150, 250, g);  // unknown and gap: nothing known
  EXPECT_EQ(g.code, "");
  language_of_range(chunks, 150, 150, g);  // empty range
  EXPECT_EQ(g.code, "");
  language_of_range({}, 0, 10, g);  // no chunks at all
  EXPECT_EQ(g.code, "");
  // Known chunks must cover half the range: 50 en of 150 is not reliable, 50 of 90 is.
  language_of_range(chunks, 50, 200, g);
  EXPECT_EQ(g.code, "en");
  EXPECT_EQ(g.percent, 33);
  EXPECT_FALSE(g.reliable);
  language_of_range(chunks, 50, 140, g);
  EXPECT_EQ(g.code, "en");
  EXPECT_EQ(g.percent, 55);
  EXPECT_TRUE(g.reliable);
}

}  // namespace
}  // namespace warcpairs::text
