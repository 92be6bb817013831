// The sieve's passes one by one, each reached through the pass interface on a short text: the
// chapter is read with only the passes a test names, so a case shows what that pass decides and
// where it must not fire.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "attribution/passes/pass.h"
#include "attribution/rule.h"
#include "attribution/sieve.h"
#include "text/reader.h"

namespace troupe::sieve {
namespace {

// The first chapter of `text` read once with the paragraph passes given, then each chapter pass
// given run once, in order.
struct Reading {
  Reading(const std::string& text, std::vector<const Pass*> paragraph_passes,
          std::vector<const Pass*> chapter_passes = {}, AttributionOptions given = {})
      : story(story_from_text(text, "test.txt")), options(std::move(given)) {
    sieve = std::make_unique<Sieve>(story, options);
    PassOrder order{std::move(paragraph_passes), {}};
    paragraphs = sieve->attribute_chapter(story.chapters.at(0), nullptr, order, state);
    for (const Pass* pass : chapter_passes) changed.push_back(pass->run(*sieve, state, paragraphs));
  }

  // Speaker and rule of quotation q of the k-th quotation paragraph.
  std::string speaker(std::size_t k, std::size_t q = 0) const {
    const int id = paragraphs.at(k).speakers.at(q);
    return id == kUnknown ? "unknown" : sieve->table().characters.at(id).name;
  }
  std::string rule(std::size_t k, std::size_t q = 0) const {
    return std::string(rule_name(paragraphs.at(k).rules.at(q)));
  }
  // The names of those the k-th quotation paragraph calls.
  std::vector<std::string> vocatives(std::size_t k) const {
    std::vector<std::string> names;
    for (int id : paragraphs.at(k).vocatives)
      names.push_back(sieve->table().characters.at(id).name);
    return names;
  }

  Story story;
  AttributionOptions options;
  std::unique_ptr<Sieve> sieve;
  ReadingState state;  // the story as the chapter's reading left it
  std::vector<QuoteParagraph> paragraphs;
  std::vector<bool> changed;  // per chapter pass run
};

const std::string kMeeting = "Iris walked in with Edith. Iris smiled at Edith.\n";
// Mr. Ashcombe speaks later in the chapter: one of its speakers, not someone only mentioned.
const std::string kAshcombeLater = "The clock struck.\n\"Good night,\" said Mr. Ashcombe.\n";

}  // namespace

TEST_CASE("passes: every pass has a name, a scope, and the order lists each once per stage") {
  const auto& order = sieve_order();
  CHECK(order.paragraph.size() == 8);
  CHECK(order.paragraph.front()->name() == "tag");
  for (const Pass* pass : order.paragraph) CHECK(pass->scope() == PassScope::Paragraph);
  for (const auto& stage : order.chapter)
    for (const Pass* pass : stage.passes) CHECK(pass->scope() == PassScope::Chapter);
  CHECK(tag_revision_pass().revises());
  CHECK_FALSE(turns_pass().revises());
}

TEST_CASE("passes: rule names are stable") {
  CHECK(rule_name(Rule::None) == "none");
  CHECK(rule_name(Rule::TagName) == "tag-name");
  CHECK(rule_name(Rule::TagPronoun) == "tag-pronoun");
  CHECK(rule_name(Rule::TagDescription) == "tag-description");
  CHECK(rule_name(Rule::TagGroup) == "tag-group");
  CHECK(rule_name(Rule::TagRevised) == "tag-revised");
  CHECK(rule_name(Rule::VocativeReply) == "vocative-reply");
  CHECK(is_tag(Rule::TagRevised));
  CHECK_FALSE(is_tag(Rule::Beat));
}

TEST_CASE("passes: tag tells a name tag from a pronoun tag and a group tag") {
  Reading r(kMeeting +
                "\"Good morning,\" said Edith.\n"
                "\"Is it?\" she said.\n"
                "\"We do!\" the girls chorused.\n",
            {&tag_pass()});
  CHECK(r.speaker(0) == "Edith");
  CHECK(r.rule(0) == "tag-name");
  CHECK(r.rule(1) == "tag-pronoun");
  CHECK(r.speaker(1) == "Iris");  // "she" passes over Edith, who spoke the turn before
  CHECK(r.rule(2) == "tag-group");
  CHECK(r.speaker(2) == "the girls");
}

TEST_CASE("passes: tag reads a description tag as one") {
  Reading r(
      "Mr. Merridew came in. Mr. Merridew sat down by the fire.\n"
      "\"Good day,\" said the old gentleman.\n",
      {&tag_pass()});
  CHECK(r.rule(0) == "tag-description");
  CHECK(r.speaker(0) == "Mr. Merridew");
}

TEST_CASE("passes: tag does not fire on a quotation without a tag") {
  Reading r(kMeeting + "\"Good morning.\"\n", {&tag_pass()});
  CHECK(r.rule(0) == "none");
  CHECK(r.speaker(0) == "unknown");
}

TEST_CASE("passes: pin decides a quotation by its first words, and no other") {
  AttributionOptions options;
  options.pins.push_back({"Good morning", "Edith"});
  Reading r(kMeeting + "\"Good morning.\"\n\"Good night.\"\n", {&pin_pass()}, {}, options);
  CHECK(r.rule(0) == "pin");
  CHECK(r.speaker(0) == "Edith");
  CHECK(r.rule(1) == "none");
}

TEST_CASE("passes: same-paragraph spreads a tag to the paragraph's other quotations") {
  Reading tagged(kMeeting + "\"Yeah,\" Iris said. \"Me too.\"\n",
                 {&tag_pass(), &same_paragraph_pass()});
  CHECK(tagged.rule(0, 0) == "tag-name");
  CHECK(tagged.rule(0, 1) == "same-paragraph");
  CHECK(tagged.speaker(0, 1) == "Iris");
  // Without a tag there is nothing to spread.
  Reading untagged(kMeeting + "\"Yeah.\" \"Me too.\"\n", {&same_paragraph_pass()});
  CHECK(untagged.rule(0, 1) == "none");
}

TEST_CASE("passes: continued gives a quotation running on its first paragraph's speaker") {
  Reading r(kMeeting +
                "\"It was long ago,\" said Edith. \"We lived there then.\n"
                "\"And we were happy.\"\n"
                "\"Were you?\"\n",
            {&tag_pass(), &same_paragraph_pass(), &continued_pass()});
  CHECK(r.rule(1) == "continued");
  CHECK(r.speaker(1) == "Edith");
  CHECK(r.rule(2) == "none");  // a new quotation, not a continued one
}

TEST_CASE("passes: intro reads the narration paragraph leading into the quotation") {
  Reading r(kMeeting + "Then Edith turned to her friend and said:\n\"Let us go.\"\n",
            {&intro_pass()});
  CHECK(r.rule(0) == "intro");
  CHECK(r.speaker(0) == "Edith");
  Reading closed(kMeeting + "Then Edith turned to her friend.\n\"Let us go.\"\n", {&intro_pass()});
  CHECK(closed.rule(0) == "none");
}

TEST_CASE("passes: intro reads the narration closing the quotation paragraph before") {
  const std::string mention =
      "Iris shrugged. She said something about \"rain,\" and looked away. Edith then said,\n";
  Reading r(kMeeting + mention + "\"Let us go.\"\n", {&intro_pass()});
  CHECK(r.rule(1) == "intro");
  CHECK(r.speaker(1) == "Edith");
  // A tag of the paragraph's own quotation leads nowhere new.
  Reading own(kMeeting + "\"Rain,\" said Iris,\n\"Let us go.\"\n", {&intro_pass()});
  CHECK(own.rule(1) == "none");
  // Nor does narration that closes its sentence.
  Reading closed(kMeeting + "\"Rain.\" Edith looked away.\n\"Let us go.\"\n", {&intro_pass()});
  CHECK(closed.rule(1) == "none");
}

TEST_CASE("passes: beat takes the subject of the narration around the quotation") {
  Reading r(kMeeting + "Edith nodded. \"Yes.\"\n", {&beat_pass()});
  CHECK(r.rule(0) == "beat");
  CHECK(r.speaker(0) == "Edith");
  Reading bare(kMeeting + "\"Yes.\"\n", {&beat_pass()});
  CHECK(bare.rule(0) == "none");
}

TEST_CASE("passes: 'her partner said' in a beat is not the woman whose partner it is") {
  const std::string scene = "Mira danced with Tobias at the ball.\n";
  Reading partner(
      scene + "Mira stood still. Her partner drew near, and said, \"You dance well.\"\n",
      {&beat_pass()});
  CHECK(partner.speaker(0) != "Mira");
  Reading cousin(scene + "Mira stood still. Her cousin came up and said, \"You dance well.\"\n",
                 {&beat_pass()});
  CHECK(cousin.speaker(0) != "Mira");
  // "Her eyes" are still hers.
  Reading eyes(scene + "Mira stood still. Her eyes shone. \"You dance well.\"\n", {&beat_pass()});
  CHECK(eyes.speaker(0) == "Mira");
}

TEST_CASE("passes: the tag revision gives 'said he' to the one man taking part") {
  const std::string text =
      "Mr. Pellow left the room, and Mr. Pellow shut the door. Wendy stayed behind with "
      "Mr. Quarles.\n"
      "\"Where is Mr. Pellow going?\" said Wendy.\n"
      "\"To the garden,\" said Mr. Quarles.\n";
  Reading r(text + "\"Truly?\" said he.\n", {&tag_pass(), &same_paragraph_pass()},
            {&tag_revision_pass()});
  CHECK(r.speaker(2) == "Mr. Quarles");
  CHECK(r.rule(2) == "tag-revised");
  CHECK(r.changed.at(0));
  // A tag that names its speaker is never revised.
  Reading named(text + "\"Truly?\" said Wendy.\n", {&tag_pass(), &same_paragraph_pass()},
                {&tag_revision_pass()});
  CHECK(named.rule(2) == "tag-name");
  CHECK_FALSE(named.changed.at(0));
}

TEST_CASE(
    "passes: the tag revision gives 'said he' before a turn naming its reading to the other man") {
  const std::string scene =
      "Mr. Hale sat by the fire. Mr. Brill came in from the rain and shook his coat.\n"
      "\"You are late,\" said he. \"Supper is cold.\"\n";
  // Both men speak later in the chapter: its speakers, not people only mentioned.
  const std::string later =
      "The clock struck.\n\"Good night,\" said Mr. Hale.\n\"Good night,\" said Mr. Brill.\n";
  Reading r(scene + "\"The road was flooded,\" said Mr. Brill.\n" + later,
            {&tag_pass(), &same_paragraph_pass()}, {&tag_revision_pass()});
  CHECK(r.speaker(0) == "Mr. Hale");
  CHECK(r.rule(0) == "tag-revised");
  CHECK(r.speaker(0, 1) == "Mr. Hale");
  // The next turn naming someone else leaves the tag's reading.
  Reading other(scene + "\"The road was flooded,\" said Mr. Hale.\n" + later,
                {&tag_pass(), &same_paragraph_pass()}, {&tag_revision_pass()});
  CHECK(other.speaker(0) == "Mr. Brill");
  CHECK(other.rule(0) == "tag-pronoun");
  // A name tag earlier in the paragraph keeps it too.
  Reading named(
      "Mr. Hale sat by the fire. Mr. Brill came in from the rain and shook his coat.\n"
      "\"Well,\" said Mr. Brill; and then he went on, \"you are late.\"\n"
      "\"The road was flooded,\" said Mr. Brill.\n" +
          later,
      {&tag_pass(), &same_paragraph_pass()}, {&tag_revision_pass()});
  CHECK(named.speaker(0, 1) == "Mr. Brill");
  // A next turn carrying on the same speech is the same speaker again: "added", "went on", or
  // a quotation running on into it.
  const std::string yard = "Mr. Brill looked out at Mr. Hale in the yard.\n";
  for (const std::string next : {"\"And the road will flood again,\" added Mr. Brill.\n",
                                 "\"And the road will flood again,\" Mr. Brill went on.\n"}) {
    Reading carried(yard + "\"It is getting late,\" said he.\n" + next + later,
                    {&tag_pass(), &same_paragraph_pass()}, {&tag_revision_pass()});
    CHECK(carried.speaker(0) == "Mr. Brill");
    CHECK(carried.rule(0) == "tag-pronoun");
  }
  Reading running(yard + "\"It is getting late,\" said he. \"The rain has not stopped.\n" +
                      "\"The road will flood again,\" said Mr. Brill.\n" + later,
                  {&tag_pass(), &same_paragraph_pass()}, {&tag_revision_pass()});
  CHECK(running.speaker(0) == "Mr. Brill");
  CHECK(running.rule(0) == "tag-pronoun");
  // The other man gone from the narration just before: nobody to answer him.
  Reading gone(
      "Mr. Hale left the room. Mr. Brill sat by the fire and shook his coat.\n"
      "\"You are late,\" said he.\n\"The road was flooded,\" said Mr. Brill.\n" +
          later,
      {&tag_pass(), &same_paragraph_pass()}, {&tag_revision_pass()});
  CHECK(gone.speaker(0) == "Mr. Brill");
  CHECK(gone.rule(0) == "tag-pronoun");
}

TEST_CASE("passes: turns gives A, B, ? to A, and stops at narration") {
  const std::string text = kMeeting +
                           "\"Good morning,\" said Iris.\n"
                           "\"Good morning,\" said Edith.\n";
  Reading r(text + "\"Shall we walk?\"\n", {&tag_pass()}, {&turns_pass()});
  CHECK(r.rule(2) == "turn");
  CHECK(r.speaker(2) == "Iris");
  Reading broken(text + "The clock struck.\n\"Shall we walk?\"\n", {&tag_pass()}, {&turns_pass()});
  CHECK(broken.rule(2) == "none");
  CHECK_FALSE(broken.changed.at(0));
}

TEST_CASE("passes: turns gives the one just addressed the next turn") {
  Reading r(kMeeting + "\"Hey, Edith,\" said Iris.\n\"Hello.\"\n", {&tag_pass()}, {&turns_pass()});
  CHECK(r.rule(1) == "vocative");
  CHECK(r.speaker(1) == "Edith");
  // The one addressed never speaks the line that names them.
  Reading named(kMeeting + "\"Hey, Edith,\" said Iris.\n\"Hello, Edith.\"\n", {&tag_pass()},
                {&turns_pass()});
  CHECK(named.speaker(1) != "Edith");
}

TEST_CASE("passes: words a speaker recites or reads out call nobody") {
  const std::string text = kMeeting + "Jane came in. Jane sat down by Edith.\n";
  // A quotation inside the quotation: Iris repeats what someone says, calling no one.
  Reading recited(text + "\"He will only say 'Jane, sit down,' you know,\" said Iris.\n",
                  {&tag_pass()});
  CHECK(recited.paragraphs.at(0).vocatives.empty());
  Reading called(text + "\"Jane, sit down, you know,\" said Iris.\n", {&tag_pass()});
  CHECK(called.paragraphs.at(0).vocatives.size() == 1);
  // Inset verse between a paragraph left open and the one closing it: read out, not said to Jane.
  Reading verse(text + "\"I recall the first lines,\" said Iris. \"They go:\n" +
                    "Jane, the lamp is lit and the kettle sings.\n" + "That is all of it.\"\n",
                {&tag_pass()});
  REQUIRE(verse.paragraphs.size() == 3);
  CHECK(verse.paragraphs.at(1).vocatives.empty());
  CHECK(verse.paragraphs.at(1).continues);
}

TEST_CASE("passes: the paragraph closing a quotation over paragraphs calls whom it names") {
  const std::string text = kMeeting + "Jane came in. Jane sat down by Edith.\n";
  // The second paragraph of the speech lacks its opening mark; it is no inset read out.
  Reading run_on(
      text + "\"I have news,\" said Iris. \"Listen.\n" + "Jane, sit down, it is a long story.\"\n",
      {&tag_pass()});
  REQUIRE(run_on.paragraphs.size() == 2);
  CHECK(run_on.paragraphs.at(1).continues);
  CHECK(run_on.vocatives(1) == std::vector<std::string>{"Jane"});
  // After an inset line read out, the paragraph closing the quotation speaks to Edith.
  Reading verse(text + "\"I recall the first lines,\" said Iris. \"They go:\n" +
                    "Jane, the lamp is lit and the kettle sings.\n" +
                    "Edith, that is all of it.\"\n",
                {&tag_pass()});
  REQUIRE(verse.paragraphs.size() == 3);
  CHECK(verse.vocatives(1).empty());
  CHECK(verse.vocatives(2) == std::vector<std::string>{"Edith"});
}

// Clara and Nora Penrose, sisters: "the Miss Penroses" makes plain "Miss Penrose" Clara, the
// eldest, and Nora goes by "Miss Nora Penrose". `scene` follows, then Tom calls "Miss Penrose".
std::string penrose_scene(const std::string& scene) {
  return "Clara Penrose came in. Clara smiled. Clara laughed.\n"
         "Miss Nora Penrose bowed. Miss Nora sat. Miss Nora Penrose smiled. Nora sat.\n"
         "Tom met the two Miss Penroses. Miss Penrose rose. Miss Penrose left.\n"
         "\"Well,\" said Miss Penrose.\n\"No,\" said Tom.\n\"Yes,\" said Clara.\n"
         "\"Oh,\" said Nora.\nThe sisters went home.\n" +
         scene + "\"Are you cold, Miss Penrose?\" said Tom.\n";
}

TEST_CASE("passes: Miss and the family name call the eldest, or the one sister in the scene") {
  auto called = [](const std::string& scene) {
    Reading r(penrose_scene(scene), {&tag_pass()});
    REQUIRE(r.paragraphs.size() == 5);
    const auto& table = r.sieve->table();
    CHECK(table.find("Miss Penrose") == table.find("Clara"));
    CHECK(table.find("Nora") != table.find("Clara"));
    std::vector<std::string> names;
    for (int id : r.paragraphs.back().vocatives)
      names.push_back(id == table.find("Nora")    ? "Nora"
                      : id == table.find("Clara") ? "Clara"
                                                  : "other");
    return names;
  };
  const std::string tom_alone =
      "Tom walked out. Tom walked on. Tom stopped. Tom turned. Tom waited. Tom sighed.\n";
  // Tom walks with Nora alone: "Miss Penrose" is she, her elder sister being away.
  CHECK(called(tom_alone + "Nora walked by Tom. Tom looked at Nora. Nora looked away.\n") ==
        std::vector<std::string>{"Nora"});
  // With Clara there, the name is Clara's, whoever else is by.
  CHECK(called(tom_alone + "Nora walked by Tom. Clara walked by Tom. Tom looked at Clara.\n") ==
        std::vector<std::string>{"Clara"});
  // With no sister in the scene, it stays the eldest's.
  CHECK(called(tom_alone + "Tom looked at the sky. Tom looked at the hills.\n") ==
        std::vector<std::string>{"Clara"});
  const std::string tom_long = tom_alone + tom_alone;
  // A sister only thought of is not in the scene.
  CHECK(called(tom_long + "Tom thought of Nora, who was away at school.\n") ==
        std::vector<std::string>{"Clara"});
  // The mother, "Margaret Penrose" and "Mrs Penrose" (no stop), is no unmarried daughter.
  CHECK(called(tom_long + "Margaret Penrose opened the door. Mrs Penrose smiled at Tom, and " +
               "Margaret Penrose sat.\n") == std::vector<std::string>{"Clara"});
}

TEST_CASE("passes: an apostrophe closes no recited words, so the name after it is called") {
  const std::string text = kMeeting + "Jane came in. Jane sat down by Edith.\n";
  const std::vector<std::string> jane{"Jane"};
  // A dialect elision opening the quotation, then a plural possessive or "o'".
  Reading elided(text + "\"'Tain't here, Jane. The boys' dog ate it,\" said Iris.\n",
                 {&tag_pass()});
  CHECK(elided.vocatives(0) == jane);
  Reading cup(text + "\"'Appen it's gone, Jane. I'll fetch a cup o' tea,\" said Iris.\n",
              {&tag_pass()});
  CHECK(cup.vocatives(0) == jane);
  // A run of spaces, then a dropped final letter.
  Reading spaced(text + "\"Wait.  Jane, I was goin', I tell you,\" said Iris.\n", {&tag_pass()});
  CHECK(spaced.vocatives(0) == jane);
}

TEST_CASE("passes: 'Sure I am, Tom.' calls Tom") {
  Reading r(kMeeting + "Tom came in.\n\"Are you ready?\" asked Tom.\n\"Sure I am, Tom.\"\n",
            {&tag_pass()});
  REQUIRE(r.paragraphs.size() == 2);
  CHECK(r.vocatives(1) == std::vector<std::string>{"Tom"});
}

TEST_CASE("passes: a line calling two people leaves the next turn to A, B, A") {
  // Calling Jane and Edith in one line says nothing of which answers: Edith spoke the turn
  // before Iris's, so the turn is hers.
  const std::string text =
      kMeeting + "Jane came in. Jane sat down by Edith.\n" + "\"Good morning,\" said Edith.\n";
  Reading r(text + "\"Jane, Edith, sit down,\" said Iris.\n\"Thank you.\"\n", {&tag_pass()},
            {&turns_pass()});
  CHECK(r.paragraphs.at(1).vocatives.size() == 2);
  CHECK(r.rule(2) == "turn");
  CHECK(r.speaker(2) == "Edith");
  // One name called: the one called answers.
  Reading one(text + "\"Jane, sit down,\" said Iris.\n\"Thank you.\"\n", {&tag_pass()},
              {&turns_pass()});
  CHECK(one.rule(2) == "vocative");
  CHECK(one.speaker(2) == "Jane");
  // One name called twice is still one person called.
  Reading twice(text + "\"Jane, sit down,\" said Iris. \"Do sit, Jane.\"\n\"Thank you.\"\n",
                {&tag_pass()}, {&turns_pass()});
  CHECK(twice.rule(2) == "vocative");
  CHECK(twice.speaker(2) == "Jane");
}

TEST_CASE("passes: a quotation running on into the next paragraph is no turn of the other party") {
  const std::string text = kMeeting + "\"I have news,\" said Iris. \"It came today.\n" +
                           "\"It is about the ball.\"\n\"Is it?\"\n";
  Reading r(text, {&tag_pass(), &same_paragraph_pass()},
            {&other_party_after_firm_pass(), &turns_pass()});
  REQUIRE(r.paragraphs.at(1).continues);
  CHECK(r.rule(1) == "continued");
  CHECK(r.speaker(1) == "Iris");
}

TEST_CASE("passes: the other party is someone who speaks in the chapter, not one only mentioned") {
  const std::string text = kMeeting + "Mr. Otto wrote to Edith. Mr. Otto was a farmer.\n" +
                           "\"Good morning,\" said Edith.\n" +
                           "\"I had a parcel,\" said Iris, thinking of Mr. Otto.\n\"Did you?\"\n";
  Reading r(text, {&tag_pass()}, {&other_party_after_firm_pass()});
  CHECK(r.rule(2) == "turn-other");
  CHECK(r.speaker(2) == "Edith");
  // Once he speaks in the chapter, the one mentioned last is the other party again.
  Reading speaks(text + "Edith left.\n\"Good day,\" said Mr. Otto.\n", {&tag_pass()},
                 {&other_party_after_firm_pass()});
  CHECK(speaks.speaker(2) == "Mr. Otto");
}

TEST_CASE("passes: a speaker only the turns gave does not count as speaking in the chapter") {
  // Mr. Otto "speaks" only because Edith called him (a vocative turn): after Iris's tag he
  // is the one mentioned last, yet Edith, named speaking by a tag, is the other party.
  const std::string text = kMeeting + "\"Are you there, Mr. Otto?\" said Edith.\n\"I am.\"\n" +
                           "Mr. Otto left. Mr. Otto was a farmer.\n" +
                           "\"I had a parcel,\" said Iris, thinking of Mr. Otto.\n\"Did you?\"\n";
  Reading r(text, {&tag_pass()}, {&turns_pass(), &other_party_after_firm_pass()});
  REQUIRE(r.rule(1) == "vocative");
  REQUIRE(r.speaker(1) == "Mr. Otto");
  CHECK(r.rule(3) == "turn-other");
  CHECK(r.speaker(3) == "Edith");
}

TEST_CASE("passes: turns back reads A B ? A B backwards") {
  const std::string text = kMeeting + "\"Shall we walk?\"\n\"Yes,\" said Iris.\n";
  Reading r(text + "\"Then let us,\" said Edith.\n", {&tag_pass()}, {&turns_back_pass()});
  CHECK(r.rule(0) == "turn-back");
  CHECK(r.speaker(0) == "Edith");
  // Iris twice running tells nothing of the turn before.
  Reading same(text + "\"Then let us,\" said Iris.\n", {&tag_pass()}, {&turns_back_pass()});
  CHECK(same.rule(0) == "none");
  // "Was Edith at the mill?" is not Edith's: nobody asks after herself.
  Reading asked(kMeeting + "\"Was Edith at the mill today?\"\n\"Was she?\" said Iris.\n" +
                    "\"Then let us,\" said Edith.\n",
                {&tag_pass()}, {&turns_back_pass()});
  CHECK(asked.speaker(0) != "Edith");
}

TEST_CASE("passes: the other party answers a speaker the text named") {
  const std::string text = kMeeting + "\"Hello,\" said Iris.\n";
  Reading r(text + "\"Hi.\"\n", {&tag_pass()}, {&other_party_after_firm_pass()});
  CHECK(r.rule(1) == "turn-other");
  CHECK(r.speaker(1) == "Edith");
  Reading broken(text + "The clock struck.\n\"Hi.\"\n", {&tag_pass()}, {&other_party_pass()});
  CHECK(broken.rule(1) == "none");
}

TEST_CASE("passes: the other party gives way to the speaker the text names two turns on") {
  // Ashcombe is the last one the narration mentions; the tag two turns on says Edith answers.
  const std::string scene = kMeeting + "Mr. Ashcombe came in. Mr. Ashcombe sat down.\n" +
                            "\"Hello,\" said Iris.\n\"Hi.\"\n\"How are you?\"\n";
  Reading r(scene + "\"Well,\" said Edith.\n" + kAshcombeLater, {&tag_pass()},
            {&other_party_after_firm_pass()});
  CHECK(r.rule(1) == "turn-back");
  CHECK(r.speaker(1) == "Edith");
  // Iris named two turns on tells nothing of who answered her: the other party of the scene.
  Reading same(scene + "\"Well,\" said Iris.\n" + kAshcombeLater, {&tag_pass()},
               {&other_party_after_firm_pass()});
  CHECK(same.rule(1) == "turn-other");
  CHECK(same.speaker(1) == "Mr. Ashcombe");
  // Nor does a tag after narration: the exchange ended before it.
  Reading ended(scene + "The clock struck.\n\"Well,\" said Edith.\n" + kAshcombeLater,
                {&tag_pass()}, {&other_party_after_firm_pass()});
  CHECK(ended.rule(1) == "turn-other");
  CHECK(ended.speaker(1) == "Mr. Ashcombe");
  // Nor one the turn calls by name: "Hi, Edith." is not Edith's.
  Reading called(kMeeting + "Mr. Ashcombe came in. Mr. Ashcombe sat down.\n" +
                     "\"Hello,\" said Iris.\n\"Hi, Edith.\"\n\"How are you?\"\n" +
                     "\"Well,\" said Edith.\n",
                 {&tag_pass()}, {&other_party_after_firm_pass()});
  CHECK(called.speaker(1) != "Edith");
}

TEST_CASE("passes: a scene break ends the exchange like narration") {
  const std::string text =
      kMeeting + "\"Good morning,\" said Iris.\n\"Good morning,\" said Edith.\n";
  Reading r(text + "* * *\n\"Shall we walk?\"\n", {&tag_pass()},
            {&turns_pass(), &other_party_pass()});
  CHECK(r.rule(2) == "none");
  CHECK(r.paragraphs.at(2).after_narration);
}

TEST_CASE("passes: a section number ends the exchange and the group like a scene break") {
  for (const std::string mark : {"* * *", "[II]"}) {
    CAPTURE(mark);
    Reading r(kMeeting + "\"Good morning,\" said Iris.\n" + mark + "\n\"Shall we walk?\"\n",
              {&tag_pass()}, {&turns_pass(), &other_party_pass()});
    CHECK(r.paragraphs.at(1).after_narration);
    CHECK(r.rule(1) == "none");
    // "they" after the break is whoever is there, not the group named before it.
    const std::string girls = "Iris looked at the girls.\n";
    const std::string chorus = "\"We do!\" they chorused.\n";
    Reading later(girls + mark + "\n" + chorus, {&tag_pass()});
    CHECK(later.speaker(0) == "everyone");
    Reading same(girls + chorus, {&tag_pass()});
    CHECK(same.speaker(0) == "the girls");
  }
}

TEST_CASE("passes: guess gives what nothing decided to whom the narration was about") {
  Reading r("Iris walked in.\n\"Hello.\"\n", {&tag_pass()}, {&guess_pass()});
  CHECK(r.rule(0) == "guess");
  CHECK(r.speaker(0) == "Iris");
  Reading nobody("The rain fell.\n\"Hello.\"\n", {&tag_pass()}, {&guess_pass()});
  CHECK(nobody.rule(0) == "none");
  CHECK_FALSE(nobody.changed.at(0));
}

TEST_CASE("passes: guess lets the other party answer before a she-said between two women") {
  const std::string text =
      "Mina sat on her bed, and Yuri brushed her hair.\n"
      "\"Sit,\" Mina said.\n\"Fine,\" said Yuri.\n"
      "\"That is going to go viral.\"\n\"What if there is no next show?\"\n";
  Reading women(text + "\"There will be,\" she said.\n", {&tag_pass()}, {&guess_pass()});
  CHECK(women.speaker(2) == "Mina");
  // The other party, though the first reading's "she said" below named her too: the second
  // reading resolves it again knowing this turn.
  CHECK(women.speaker(3) == "Yuri");
  CHECK(women.rule(3) == "guess");
}

TEST_CASE("passes: guess goes on with the last speaker after narration saying nobody answered") {
  Reading r(
      "Tobin and Hester sat at the counter.\n\"Good evening,\" said Maud.\n"
      "Nobody said good evening back. Tobin, Hester noticed, had hidden the pie.\n"
      "\"Two of you. Up at midnight.\"\n"
      "\"It was my idea,\" Hester said.\n\"Mine too,\" said Tobin.\n",
      {&tag_pass()}, {&guess_pass()});
  CHECK(r.paragraphs.at(0).unanswered);
  CHECK(r.speaker(1) == "Maud");
  CHECK(r.rule(1) == "guess");
}

TEST_CASE("passes: guess gives no man's turn to a woman the narration after it calls he") {
  Reading r(
      "Lou poured the coffee. She was tired.\n"
      "\"Morning,\" Tom said. He opened his paper.\n\"Morning,\" Ann said. She smiled.\n"
      "\"What is the pie today?\"\n\"Your grandmother loved apple.\"\n"
      "Something crossed Ann's face when he said that.\n",
      {&tag_pass()}, {&guess_pass()});
  CHECK(r.paragraphs.at(3).said_after == Gender::Male);
  CHECK(r.speaker(3) != "Ann");
  CHECK(r.speaker(3) != "Lou");
}

TEST_CASE("passes: tag gives a line from someone the narration does not name to an extra") {
  const std::string text = kMeeting + "\"Hello,\" said Iris.\n";
  Reading r(text + "\"Champagne?\" asked a waiter.\n\"Tea?\" a porter called from the hall.\n",
            {&tag_pass()});
  CHECK(r.rule(1) == "tag-description");
  CHECK(r.speaker(1) == "a waiter");
  CHECK(r.speaker(2) == "a porter");
  // "said a woman": a woman the scene has not had, not Iris or Edith.
  Reading woman(text + "\"Tea?\" said a woman.\n", {&tag_pass()});
  CHECK(woman.speaker(1) == "a woman");
  // "said a voice" is mostly someone known, heard before seen: the tag decides nothing.
  Reading voice(text + "\"Tea?\" said a low voice.\n", {&tag_pass()});
  CHECK(voice.speaker(1) == "unknown");
}

TEST_CASE("passes: an unnamed tag the cast describes is that cast character") {
  AttributionOptions options;
  Character looker;
  looker.name = "The Looker-on";
  options.hints.characters = {looker};
  Reading r(kMeeting + "\"Well thrown!\" cried a looker-on.\n", {&tag_pass()}, {}, options);
  CHECK(r.speaker(0) == "The Looker-on");
}

TEST_CASE("passes: tag meets a speaker the story calls 'the' and a capitalised word") {
  // Blind, "the Marmot" and "the Copper Heron" are nobody yet: each is a speaker of their
  // own, never left without one and never Nora, whom the narration named last.
  const std::string text =
      "Nora walked in.\n"
      "\"Most of us can,\" said the Marmot; \"and most of them do.\"\n"
      "\"You must be,\" the Copper Heron said.\n"
      "\"Come in,\" said the other.\n";
  Reading r(text, {&tag_pass()});
  CHECK(r.speaker(0) == "The Marmot");
  CHECK(r.rule(0) == "tag-name");
  CHECK(r.speaker(1) == "The Copper Heron");
  CHECK(r.speaker(2) != "The other");
  // "said the King" where the story writes its King so: a title used as a name, not "the
  // king" resolved by gender to whichever man was named last.
  Reading king("Mr. Smith walked in.\n\"Bring me the ledger!\" said the King, loudly.\n",
               {&tag_pass()});
  CHECK(king.speaker(0) == "The King");
  Reading plain("Mr. Smith walked in.\n\"Good day,\" said the king.\n", {&tag_pass()});
  CHECK(plain.speaker(0) != "The King");
  CHECK(plain.sieve->table().find("The king") < 0);
}

TEST_CASE("passes: a plural noun opening a beat is no minor character") {
  // "Hands reached out" where the story writes "hand": an unnamed crowd, not a speaker "Hands".
  const std::string text =
      "Nam-jun took the earpiece in his hand.\n"
      "Hands reached out to him, congratulations rained down, \"You rocked!\" and pats on the "
      "back.\n";
  Reading r(text, {&tag_pass(), &beat_pass()});
  CHECK(r.sieve->table().find("Hands") < 0);
  CHECK(r.speaker(0) != "Hands");
  // A name the story never writes small as a word, plural or not, is still met.
  Reading named("Nam-jun took the earpiece.\nJames reached out to him. \"You rocked!\"\n",
                {&tag_pass(), &beat_pass()});
  CHECK(named.speaker(0) == "James");
}

TEST_CASE("passes: turn-ahead gives a weak turn chain to the speaker named further on") {
  // Ashcombe, the last one the narration mentions, is taken for the other party after Iris;
  // the turns copy him every other paragraph until the text names Edith in that turn order.
  const std::vector<const Pass*> passes = {&other_party_after_firm_pass(), &turns_pass(),
                                           &turn_ahead_pass()};
  const std::string scene = kMeeting + "Mr. Ashcombe came in. Mr. Ashcombe sat down.\n" +
                            "\"Hello,\" said Iris.\n\"Hi.\"\n\"How are you?\"\n\"Tired.\"\n" +
                            "\"Why?\"\n";
  Reading r(scene + "\"Well,\" said Edith.\n" + kAshcombeLater, {&tag_pass()}, passes);
  CHECK(r.speaker(1) == "Edith");
  CHECK(r.rule(1) == "turn-ahead");
  CHECK(r.speaker(3) == "Edith");
  CHECK(r.rule(3) == "turn-ahead");
  // Iris's own turns, copied from her tag, stay hers.
  CHECK(r.speaker(2) == "Iris");
  CHECK(r.rule(2) == "turn");
  CHECK(r.speaker(4) == "Iris");
  CHECK(r.changed.back());
  // After narration the tag is another exchange's: the chain stays as the turns left it.
  Reading ended(scene + "The clock struck.\n\"Well,\" said Edith.\n" + kAshcombeLater,
                {&tag_pass()}, passes);
  CHECK(ended.speaker(1) == "Mr. Ashcombe");
  CHECK(ended.speaker(3) == "Mr. Ashcombe");
  CHECK_FALSE(ended.changed.back());
  // The one named in the other turn order (Edith three paragraphs on) changes nothing.
  Reading odd(scene + "\"Because.\"\n\"Well,\" said Edith.\n" + kAshcombeLater, {&tag_pass()},
              passes);
  CHECK(odd.speaker(1) == "Mr. Ashcombe");
}

TEST_CASE("passes: turn-ahead keeps a chain the text named and a turn calling the speaker") {
  const std::vector<const Pass*> passes = {&other_party_after_firm_pass(), &turns_pass(),
                                           &turn_ahead_pass()};
  // Ashcombe named by his tag: his chain is his even when Edith speaks later in its order.
  Reading tagged(kMeeting + "Mr. Ashcombe came in.\n\"Hello,\" said Iris.\n" +
                     "\"Hi,\" said Mr. Ashcombe.\n\"How are you?\"\n\"Tired.\"\n\"Why?\"\n" +
                     "\"Well,\" said Edith.\n",
                 {&tag_pass()}, passes);
  CHECK(tagged.speaker(3) == "Mr. Ashcombe");
  CHECK(tagged.rule(3) == "turn");
  // A turn calling Edith by name is not hers.
  Reading called(kMeeting + "Mr. Ashcombe came in. Mr. Ashcombe sat down.\n" +
                     "\"Hello,\" said Iris.\n\"Hi.\"\n\"How are you?\"\n\"Tired, Edith.\"\n" +
                     "\"Why?\"\n\"Well,\" said Edith.\n",
                 {&tag_pass()}, passes);
  CHECK(called.speaker(1) == "Edith");
  CHECK(called.speaker(3) != "Edith");
  // Nor a turn that asks after her.
  Reading talked(kMeeting + "Mr. Ashcombe came in. Mr. Ashcombe sat down.\n" +
                     "\"Hello,\" said Iris.\n\"Is Edith well?\"\n\"How are you?\"\n" +
                     "\"Tired.\"\n\"Why?\"\n\"Well,\" said Edith.\n",
                 {&tag_pass()}, passes);
  CHECK(talked.speaker(1) != "Edith");
  CHECK(turn_ahead_pass().revises());
}

TEST_CASE("passes: turn-ahead takes no order of turns from an answer to a call opening the line") {
  const std::vector<const Pass*> passes = {&other_party_after_firm_pass(), &turns_pass(),
                                           &turn_ahead_pass()};
  const std::string scene = kMeeting + "Mr. Ashcombe came in. Mr. Ashcombe sat down.\n" +
                            "\"Hello,\" said Iris.\n\"Hi.\"\n\"How are you?\"\n\"Tired.\"\n";
  // "Edith, why?" turns to Edith: she answers the call, out of the turns' order.
  Reading turned(scene + "\"Edith, why?\"\n\"Well,\" said Edith.\n" + kAshcombeLater, {&tag_pass()},
                 passes);
  CHECK(turned.speaker(1) == "Mr. Ashcombe");
  CHECK(turned.speaker(3) == "Mr. Ashcombe");
  // Called at the end of the line, she may as well be answering in turn: the chain is hers.
  Reading in_turn(scene + "\"Why, Edith?\"\n\"Well,\" said Edith.\n" + kAshcombeLater,
                  {&tag_pass()}, passes);
  CHECK(in_turn.speaker(1) == "Edith");
  CHECK(in_turn.rule(1) == "turn-ahead");
  // A call answered by someone else turns to nobody new: the one who answers, named, takes the
  // chain as in turn. "Edith, why?" answered by Mr. Ashcombe leaves his chain as it is.
  Reading other(scene + "\"Edith, why?\"\n\"She is out,\" said Mr. Ashcombe.\n" + kAshcombeLater,
                {&tag_pass()}, passes);
  CHECK(other.speaker(1) == "Mr. Ashcombe");
  CHECK(other.speaker(3) == "Mr. Ashcombe");
  Reading answered(scene + "\"Mr. Ashcombe, why?\"\n\"Because,\" said Edith.\n" + kAshcombeLater,
                   {&tag_pass()}, passes);
  CHECK(answered.speaker(1) == "Edith");
  CHECK(answered.rule(1) == "turn-ahead");
}

}  // namespace troupe::sieve
