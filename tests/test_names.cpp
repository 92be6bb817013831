// Names said by their language: Korean and Japanese romanisation read by syllable rules into
// eSpeak NG phonemes, and which names of a story are Korean or Japanese.
//
// The expected phonemes below are written by hand, name by name, from the published charts
// (Wikipedia's "Revised Romanization of Korean" and "Help:IPA/Korean" tables, the Hangul of
// each name, and "Hepburn romanization" with "Help:IPA/Japanese"), each IPA sound put into
// eSpeak NG's English phoneme letters: a A:, ʌ V, o oU, u u:, ɯ U (Korean) or u (Japanese),
// i i:, ɛ/e E, ɕ S, tɕ/dʑ tS/dZ, ŋ N, j j, w w; Japanese long ō oU, ū u:, ei eI. Aspiration and
// tenseness have no English phoneme and are not written. The first syllable carries the stress.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "run_troupe.h"
#include "text/lexicon.h"
#include "text/romanisation.h"
#include "text/speakable.h"

namespace troupe {
namespace {

using Cases = std::vector<std::pair<const char*, const char*>>;

void check_korean(const Cases& cases) {
  for (const auto& [name, phonemes] : cases) {
    CAPTURE(name);
    CHECK(korean_phonemes(name).value_or("(none)") == phonemes);
  }
}

void check_japanese(const Cases& cases) {
  for (const auto& [name, phonemes] : cases) {
    CAPTURE(name);
    CHECK(japanese_phonemes(name).value_or("(none)") == phonemes);
  }
}

TEST_CASE("names: Korean given names in Revised Romanisation and fan spellings") {
  check_korean({
      {"Minho", "'mi:nhoU"},       // 민호
      {"Jisoo", "'dZi:su:"},       // 지수
      {"Seojun", "'sVdZu:n"},      // 서준
      {"Jiwoo", "'dZi:u:"},        // 지우
      {"Hyunjin", "'hjVndZi:n"},   // 현진
      {"Seungmin", "'sUNmi:n"},    // 승민
      {"Yeji", "'jEdZi:"},         // 예지
      {"Chaeyoung", "'tSEjVN"},    // 채영
      {"Dahyun", "'dA:hjVn"},      // 다현
      {"Nayeon", "'nA:jVn"},       // 나연
      {"Jihyo", "'dZi:hjoU"},      // 지효
      {"Jeongyeon", "'dZVNjVn"},   // 정연
      {"Eunha", "'UnhA:"},         // 은하
      {"Yerin", "'jEri:n"},        // 예린
      {"Sowon", "'soUwVn"},        // 소원
      {"Yuju", "'ju:dZu:"},        // 유주
      {"Taehyung", "'tEhjVN"},     // 태형
      {"Jimin", "'dZi:mi:n"},      // 지민
      {"Yunho", "'ju:nhoU"},       // 윤호
      {"Hoseok", "'hoUsVk"},       // 호석
      {"Seokjin", "'sVkdZi:n"},    // 석진
      {"Namjoon", "'nA:mdZu:n"},   // 남준
      {"Jungkook", "'dZVNku:k"},   // 정국
      {"Soobin", "'su:bi:n"},      // 수빈
      {"Yeonjun", "'jVndZu:n"},    // 연준
      {"Beomgyu", "'bVmgju:"},     // 범규
      {"Changbin", "'tSA:Nbi:n"},  // 창빈
      {"Jeongin", "'dZVNi:n"},     // 정인
      {"Sejeong", "'sEdZVN"},      // 세정
      {"Seulgi", "'sUlgi:"},       // 슬기
      {"Haerin", "'hEri:n"},       // 해린
      {"Minji", "'mi:ndZi:"},      // 민지
      {"Hyein", "'hjEi:n"},        // 혜인
      {"Wonyoung", "'wVnjVN"},     // 원영
      {"Jaemin", "'dZEmi:n"},      // 재민
      {"Chaewon", "'tSEwVn"},      // 채원
      {"Eunchae", "'UntSE"},       // 은채
      {"Heejin", "'hi:dZi:n"},     // 희진
      {"Eunji", "'UndZi:"},        // 은지
      {"Hyuk", "'hjVk"},           // 혁
  });
}

TEST_CASE("names: hyphenated Korean names are one name") {
  check_korean({
      {"Nam-jun", "'nA:mdZu:n"},  // 남준
      {"Kyung-soo", "'kjVNsu:"},  // 경수
      {"Hye-jin", "'hjEdZi:n"},   // 혜진
      {"Ji-eun", "'dZi:Un"},      // 지은
      {"Sung-min", "'sVNmi:n"},   // 성민
  });
}

TEST_CASE("names: Korean surnames") {
  check_korean({
      {"Kim", "'ki:m"},     // 김
      {"Park", "'pA:k"},    // 박
      {"Choi", "'tSwE"},    // 최
      {"Jung", "'dZVN"},    // 정
      {"Kang", "'kA:N"},    // 강
      {"Yoon", "'ju:n"},    // 윤
      {"Jang", "'dZA:N"},   // 장
      {"Shin", "'Si:n"},    // 신
      {"Hwang", "'hwA:N"},  // 황
      {"Seo", "'sV"},       // 서
      {"Kwon", "'kwVn"},    // 권
      {"Baek", "'bEk"},     // 백
      {"Moon", "'mu:n"},    // 문
      {"Ryu", "'rju:"},     // 류
  });
}

TEST_CASE("names: Korean places") {
  check_korean({
      {"Seoul", "'sVu:l"},            // 서울
      {"Busan", "'bu:sA:n"},          // 부산
      {"Incheon", "'i:ntSVn"},        // 인천
      {"Daegu", "'dEgu:"},            // 대구
      {"Daejeon", "'dEdZVn"},         // 대전
      {"Gwangju", "'gwA:NdZu:"},      // 광주
      {"Ulsan", "'u:lsA:n"},          // 울산
      {"Jeju", "'dZEdZu:"},           // 제주
      {"Gangnam", "'gA:NnA:m"},       // 강남
      {"Myeongdong", "'mjVNdoUN"},    // 명동
      {"Itaewon", "'i:tEwVn"},        // 이태원
      {"Suwon", "'su:wVn"},           // 수원
      {"Jeonju", "'dZVndZu:"},        // 전주
      {"Gyeongju", "'gjVNdZu:"},      // 경주
      {"Chuncheon", "'tSu:ntSVn"},    // 춘천
      {"Pyeongchang", "'pjVNtSA:N"},  // 평창
      {"Oedo", "'wEdoU"},             // 외도
      {"Uijeongbu", "'i:dZVNbu:"},    // 의정부
      {"Ssangmun", "'sA:Nmu:n"},      // 쌍문
  });
}

TEST_CASE("names: the sample stories' Korean names") {
  check_korean({
      {"Taeyong", "'tEjoUN"},      // 태용
      {"Eunjin", "'UndZi:n"},      // 은진
      {"Haechan", "'hEtSA:n"},     // 해찬
      {"Jaehyun", "'dZEhjVn"},     // 재현
      {"Doyoung", "'doUjVN"},      // 도영
      {"Seungyeon", "'sUNjVn"},    // 승연
      {"Yeonha", "'jVnhA:"},       // 연하
      {"Taeil", "'tEi:l"},         // 태일
      {"Hongdae", "'hoUNdE"},      // 홍대
      {"Jamsil", "'dZA:mSi:l"},    // 잠실
      {"Hanji", "'hA:ndZi:"},      // 한지
      {"Minmin", "'mi:nmi:n"},     // 민민
      {"Soomin", "'su:mi:n"},      // 수민
      {"Goseung", "'goUsUN"},      // 고승
      {"Donghyuck", "'doUNhjVk"},  // 동혁
      {"Han", "'hA:n"},            // 한
      {"Lee", "'li:"},             // 이, said as the English spelling shows
  });
}

TEST_CASE("names: words that are no Korean syllables are not read as Korean") {
  for (const char* word :
       {"Mark", "Johnny", "Jake", "Mike", "Rose", "Starbucks", "Christmas", "NCT", "x", "Stellars"})
    CHECK_MESSAGE(!korean_phonemes(word), word);
}

TEST_CASE("names: Japanese given names in Hepburn romaji") {
  check_japanese({
      {"Sakura", "'sA:kurA:"},   {"Hinata", "'hi:nA:tA:"},   {"Sasuke", "'sA:sukE"},
      {"Naruto", "'nA:rutoU"},   {"Yuki", "'juki:"},         {"Haruka", "'hA:rukA:"},
      {"Kenji", "'kEndZi:"},     {"Takeshi", "'tA:kESi:"},   {"Hiroshi", "'hi:roUSi:"},
      {"Akira", "'A:ki:rA:"},    {"Ryota", "'rjoUtA:"},      {"Shota", "'SoUtA:"},
      {"Ren", "'rEn"},           {"Yumi", "'jumi:"},         {"Keiko", "'keIkoU"},
      {"Emi", "'Emi:"},          {"Kazuha", "'kA:zuhA:"},    {"Momo", "'moUmoU"},
      {"Tsubasa", "'tsubA:sA:"}, {"Shinji", "'Si:ndZi:"},    {"Asuka", "'A:sukA:"},
      {"Rei", "'reI"},           {"Ichigo", "'i:tSi:goU"},   {"Y\u016Bto", "'ju:toU"},
      {"K\u014Dji", "'koUdZi:"}, {"Sh\u014Dhei", "'SoUheI"}, {"Junpei", "'dZunpeI"},
      {"Kenta", "'kEntA:"},      {"Ryuu", "'rju:"},          {"Itachi", "'i:tA:tSi:"},
      {"Kakashi", "'kA:kA:Si:"}, {"Mitsuki", "'mi:tsuki:"},  {"Hatsune", "'hA:tsunE"},
      {"Yusuke", "'jusukE"},
  });
}

TEST_CASE("names: Japanese surnames and places") {
  check_japanese({
      {"Tanaka", "'tA:nA:kA:"},
      {"Suzuki", "'suzuki:"},
      {"Satou", "'sA:toU"},
      {"Yamamoto", "'jA:mA:moUtoU"},
      {"Watanabe", "'wA:tA:nA:bE"},
      {"Kobayashi", "'koUbA:jA:Si:"},
      {"Nakamura", "'nA:kA:murA:"},
      {"Matsumoto", "'mA:tsumoUtoU"},
      {"Osaka", "'oUsA:kA:"},
      {"T\u014Dky\u014D", "'toUkjoU"},
      {"Kyoto", "'kjoUtoU"},
      {"Sapporo", "'sA:poUroU"},
      {"Nagoya", "'nA:goUjA:"},
      {"Shibuya", "'Si:bujA:"},
      {"Shinjuku", "'Si:ndZuku"},
      {"Yokohama", "'joUkoUhA:mA:"},
      {"Hiroshima", "'hi:roUSi:mA:"},
      {"Shimbashi", "'Si:mbA:Si:"},
  });
}

TEST_CASE("names: words that are no Hepburn romaji are not read as Japanese") {
  for (const char* word : {"Mark", "Christmas", "Simon", "Tim", "Hello", "Starbucks", "NCT"})
    CHECK_MESSAGE(!japanese_phonemes(word), word);
}

const char* kKoreanStory =
    "yah! taeyong\n"
    "Lee Taeyong came home late. \"Hyung, you're back,\" said Doyoung. Taeyong smiled at "
    "Doyoung and Jaehyun. Later Jaehyun's phone rang; it was Mark, from Seoul.\n"
    "\"Oppa!\" Eunjin waved. TAEYONG laughed.";

TEST_CASE("names: a story's Korean names are said in Korean everywhere, in any case") {
  CHECK(story_name_language(kKoreanStory) == NameLanguage::Korean);
  Lexicon lexicon;
  CHECK(add_story_names_in_their_language(lexicon, kKoreanStory) == NameLanguage::Korean);
  SpeakContext context;
  context.lexicon = &lexicon;
  CHECK(speakable("yah! taeyong", context) == "yah! [['tEjoUN]]");
  CHECK(speakable("TAEYONG laughed.", context) == "[['tEjoUN]] laughed.");
  CHECK(speakable("Jaehyun's phone", context) == "[['dZEhjVnz]] phone");
  CHECK(speakable("Mark, from Seoul.", context) == "Mark, from [['sVu:l]].");
  CHECK(speakable("Lee Taeyong", context) == "[['li:]] [['tEjoUN]]");
}

TEST_CASE("names: a cast's [pronounce] entry wins over the story's reading") {
  Lexicon lexicon;
  lexicon.add("Taeyong", "Tay-yong", /*user=*/true);
  add_story_names(lexicon, kKoreanStory, NameLanguage::Korean);
  SpeakContext context;
  context.lexicon = &lexicon;
  CHECK(speakable("Taeyong", context) == "Tay-yong");
  CHECK(speakable("Doyoung", context) == "[['doUjVN]]");
}

TEST_CASE("names: one Korean-looking word alone makes no story Korean") {
  const char* story = "Minho went to the market with Sarah. They bought apples.";
  CHECK(story_name_language(story) == NameLanguage::None);
  Lexicon lexicon;
  CHECK(add_story_names_in_their_language(lexicon, story) == NameLanguage::None);
  CHECK(lexicon.empty());
  // ... unless the cast file says so for the story or the character.
  add_story_names(lexicon, "", NameLanguage::Korean, {"Minho"});
  CHECK(lexicon.lookup("minho") == "[['mi:nhoU]]");
  CHECK(name_language_of("ko") == NameLanguage::Korean);
  CHECK(name_language_of("ja") == NameLanguage::Japanese);
  CHECK(name_language_of("en") == NameLanguage::None);
}

TEST_CASE("names: a hyphenated given name of two Korean syllables makes a story Korean") {
  const char* story =
      "Nam-jun passed through the door. \"Nam-jun, you rocked!\" Hands reached out.";
  CHECK(story_name_language(story) == NameLanguage::Korean);
  CHECK(story_name_language("Sakura-chan waved. Sasuke-kun smiled.") != NameLanguage::Korean);
  CHECK(story_name_language("A well-known mid-century house.") == NameLanguage::None);
}

// A long English story: many names in mid-sentence, and a few words that happen to look
// Korean or Japanese ("Oh Marnie", "So-so", an idol, a manga, "Song He").
std::string long_english_story() {
  std::string story =
      "\"Oh Marnie, wait!\" It was a so-so day. Song He sang of an idol; she read a manga.\n";
  for (int k = 0; k < 120; ++k)
    story +=
        "Then Walter met Beatrice and Harold by the mill, and Beatrice told Walter that "
        "Harold had gone to Dunmore with Agnes. \"Oh Marnie,\" said Agnes.\n";
  return story;
}

TEST_CASE("names: a few look-alike words make no long English story Korean or Japanese") {
  const std::string story = long_english_story();
  CHECK(story_name_language(story) == NameLanguage::None);
  Lexicon lexicon;
  CHECK(add_story_names_in_their_language(lexicon, story) == NameLanguage::None);
  CHECK(lexicon.empty());
}

TEST_CASE("names: a short fan fiction's Korean or Japanese names are enough") {
  CHECK(story_name_language("\"Unnie!\" Seoyeon waved at Han Jiwoo. Jiwoo laughed.") ==
        NameLanguage::Korean);
  CHECK(story_name_language("\"Sensei!\" Hana bowed to Suzuki Ren. Ren smiled.") ==
        NameLanguage::Japanese);
}

TEST_CASE("names: a Japanese story's names, with honorifics") {
  const char* story =
      "\"Senpai!\" Sakura called. Tanaka Hinata turned. Sakura-chan ran after Hinata, and "
      "Sasuke-kun followed Sakura.";
  CHECK(story_name_language(story) == NameLanguage::Japanese);
  Lexicon lexicon;
  lexicon.add("-chan", "[[tS'A:n]]", false);
  CHECK(add_story_names_in_their_language(lexicon, story) == NameLanguage::Japanese);
  SpeakContext context;
  context.lexicon = &lexicon;
  CHECK(speakable("Sasuke followed", context) == "[['sA:sukE]] followed");
  CHECK(speakable("Sakura-chan ran", context) == "[['sA:kurA:]] [[tS'A:n]] ran");
}

TEST_CASE("reader: dates, times, money, years and ordinals") {
  CHECK(speakable("October 23") == "October twenty-third");
  CHECK(speakable("October 23, 2022") == "October twenty-third, twenty twenty-two");
  CHECK(speakable("on May 1 we met") == "on May first we met");
  CHECK(speakable("the 23rd") == "the twenty-third");
  CHECK(speakable("the 1990s") == "the nineteen nineties");
  CHECK(speakable("at 3:30") == "at three thirty");
  CHECK(speakable("at 5pm") == "at five P M");
  CHECK(speakable("$20") == "twenty dollars");
  CHECK(speakable("\u20A950,000") == "fifty thousand won");
  CHECK(speakable("in 1999") == "in nineteen ninety-nine");
  CHECK(speakable("23 fans") == "twenty-three fans");  // no month: a count
}

TEST_CASE("reader: capitals read as a word when they can be, spelled otherwise") {
  for (const char* word :
       {"NEO",  "DIA",   "NASA", "UNICEF", "TWICE", "EXO",   "ITZY", "STOP", "NO",   "WHAT",
        "LOVE", "STRAY", "KIDS", "SEOUL",  "HELLO", "AESPA", "IVE",  "CITY", "LINK", "GO"})
    CHECK_MESSAGE(capitals_read_as_word(word), word);
  for (const char* word : {"NCT", "BTS", "SM", "JYP", "SNSD", "BTOB", "CEO", "USA", "TV", "OK",
                           "IU", "DJ", "UN", "ID", "EU", "YG", "MV", "CL"})
    CHECK_MESSAGE(!capitals_read_as_word(word), word);
  CHECK(speakable("the NEO CITY concert") == "the Neo City concert");
  CHECK(speakable("DIA and BTS") == "Dia and BTS");
}

TEST_CASE("reader: a title of digits or the file's ID is not spoken") {
  CHECK(is_unspoken_title("000", "stories/000_6874ef4b4f612f50.txt"));
  CHECK(is_unspoken_title("12", "a.txt"));
  CHECK(is_unspoken_title("000_6874ef4b4f612f50", "stories/000_6874ef4b4f612f50.txt"));
  CHECK(is_unspoken_title("6874ef4b4f612f50", "stories/000_6874ef4b4f612f50.txt"));
  CHECK_FALSE(is_unspoken_title("Chapter 3", "stories/000_6874ef4b4f612f50.txt"));
  CHECK_FALSE(is_unspoken_title("idols", "idols.txt"));
  CHECK_FALSE(is_unspoken_title("Cafe", "cafe_2.txt"));
}

const std::string kStory002 = std::string(TROUPE_SOURCE_DIR) + "/stories/002_a9073757c4daf437.txt";

TEST_CASE("names: script --format jsonl on story 002 says every Korean name in Korean") {
  troupe_test::ScratchDir scratch;
  const auto run = troupe_test::troupe(scratch, {"script", kStory002, "--format", "jsonl"});
  REQUIRE(run.code == 0);
  const Cases names{
      {"taeyong", "[['tEjoUN"},     {"eunjin", "[['UndZi:n"},   {"haechan", "[['hEtSA:n"},
      {"jaehyun", "[['dZEhjVn"},    {"seungyeon", "[['sUNjVn"}, {"yeonha", "[['jVnhA:"},
      {"taeil", "[['tEi:l"},        {"doyoung", "[['doUjVN"},   {"hanji", "[['hA:ndZi:"},
      {"donghyuck", "[['doUNhjVk"}, {"jooeun", "[['dZu:Un"},    {"seoul", "[['sVu:l"}};
  int found = 0;
  bool title_checked = false;
  for (const auto& line : troupe_test::lines_of(run.out)) {
    const auto record = nlohmann::json::parse(line);
    const std::string text = lower_ascii(record.at("text").get<std::string>());
    const std::string say = record.at("say").get<std::string>();
    if (record.at("kind") == "skipped") continue;
    for (const auto& [name, phonemes] : names) {
      if (text.find(name) == std::string::npos) continue;
      CAPTURE(text);
      CHECK(say.find(phonemes) != std::string::npos);
      CHECK(lower_ascii(say).find(name) == std::string::npos);  // never said as English
      ++found;
    }
    if (record.at("kind") == "title") {
      CHECK(say == "yah! [['tEjoUN]]");  // "yah! [taeyong]", the [pronounce] of no cast
      title_checked = true;
    }
  }
  CHECK(found > 100);
  CHECK(title_checked);
}

TEST_CASE("names: the cast's language for the story or a character, and a wrong one") {
  troupe_test::ScratchDir scratch;
  const std::string story =
      scratch.write("s.txt", "Minho met Sarah at noon. Sarah waved to Minho.\n");
  scratch.write("s.cast.toml", "language = \"ko\"\n");
  auto run = troupe_test::troupe(scratch, {"script", story, "--format", "jsonl"});
  REQUIRE(run.code == 0);
  CHECK(run.out.find("[['mi:nhoU]] met Sarah") != std::string::npos);
  CHECK(run.out.find("Minho met Sarah") != std::string::npos);  // the text as written

  scratch.write("s.cast.toml", "[characters.\"Minho\"]\nlanguage = \"ko\"\n");
  run = troupe_test::troupe(scratch, {"script", story, "--format", "jsonl"});
  REQUIRE(run.code == 0);
  CHECK(run.out.find("[['mi:nhoU]] met Sarah") != std::string::npos);

  scratch.write("s.cast.toml", "narrator = \"narrator\"\nlanguage = \"fr\"\n");
  run = troupe_test::troupe(scratch, {"script", story, "--format", "jsonl"});
  CHECK(run.code != 0);
  CHECK(run.err.find("s.cast.toml:2") != std::string::npos);
  CHECK(run.err.find("language") != std::string::npos);
}

}  // namespace
}  // namespace troupe
