#include "attribution/lexicon.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace troupe {
namespace {

using WordSet = std::unordered_set<std::string_view>;

const WordSet& speech_verbs() {
  static const WordSet kVerbs = {
      "said", "says", "say", "saying", "yell", "yelling", "shout", "whisper", "ask", "reply",
      "answer", "scream", "screaming", "mutter", "murmur", "call", "cry", "exclaim", "add",
      "continue", "sigh", "snap", "hiss", "laugh", "tease", "teasing", "greet", "plead",
      "pleading", "beg", "begging", "insist", "insisting", "argue", "arguing", "demand",
      "demanding", "groan", "groaning", "grumble", "grumbling", "stammer", "stammering", "asked", "asks", "ask", "asking", "replied", "replies",
      "reply", "cried", "cries", "answered", "answers", "returned", "returns", "whispered",
      "whispers", "shouted", "shouts", "exclaimed", "exclaims", "muttered", "mutters",
      "murmured", "murmurs", "added", "adds", "continued", "continues", "began", "begins",
      "repeated", "repeats", "observed", "observes", "remarked", "remarks", "called", "calls",
      "yelled", "yells", "screamed", "screams", "laughed", "laughs", "sighed", "sighs",
      "snapped", "snaps", "growled", "growls", "demanded", "demands", "inquired", "enquired",
      "inquires", "protested", "protests", "retorted", "retorts", "insisted", "insists",
      "explained", "explains", "suggested", "suggests", "agreed", "agrees", "declared",
      "declares", "groaned", "groans", "breathed", "hissed", "hisses", "sobbed", "sobs",
      "stammered", "stammers", "interrupted", "interrupts", "pleaded", "pleads", "grumbled",
      "grumbles", "mumbled", "mumbles", "whined", "whines", "teased", "teases", "chuckled",
      "chuckles", "giggled", "giggles", "spat", "chimed", "told", "tells", "went", "rejoined",
      "urged", "urges", "persisted", "pursued", "resumed", "responded", "responds", "joked",
      "jokes", "scoffed", "scoffs", "sneered", "smirked", "smiled", "grinned", "gasped",
      "gasps", "panted", "roared", "roars", "bellowed", "shrieked", "squealed", "wailed",
      "moaned", "blurted", "stuttered", "faltered", "ventured", "admitted", "admits",
      "confessed", "conceded", "corrected", "commented", "comments", "noted", "notes",
      "stated", "states", "announced", "announces", "warned", "warns", "ordered", "orders",
      "commanded", "begged", "begs", "promised", "assured", "reminded", "mused", "muses",
      "wondered", "wonders", "thought", "thinks", "shouting", "whispering", "muttering",
      "murmuring", "asking", "crying", "exclaiming", "replying", "answering", "calling",
      "laughing", "adding", "observing", "said", "cooed", "purred", "drawled", "piped",
      "squeaked", "barked", "snarled", "called", "sang", "sings", "hummed", "grunted",
      "huffed", "pouted", "quipped", "countered", "argued", "argues", "objected", "urged",
      "pleaded", "implored", "entreated", "exclaimed", "ejaculated", "remonstrated",
      "interposed", "returned", "observed", "concluded", "proceeded", "explained",
      "sniffed", "snorted", "greeted", "greets", "introduced",
      "questioned", "queried", "prompted", "interjected", "chirped", "drawled", "breathes",
      "yelped", "whimpered", "choked", "rasped", "croaked", "spoke", "speaks", "calls",
      "cut", "called", "shouted", "screeched", "thundered", "boomed", "snickered", "sputtered"};
  return kVerbs;
}

const std::unordered_map<std::string_view, Delivery>& delivery_verbs() {
  static const std::unordered_map<std::string_view, Delivery> kDelivery = {
      {"whispered", Delivery::Soft},  {"whispers", Delivery::Soft},
      {"whispering", Delivery::Soft}, {"murmured", Delivery::Soft},
      {"murmurs", Delivery::Soft},    {"murmuring", Delivery::Soft},
      {"muttered", Delivery::Soft},   {"mutters", Delivery::Soft},
      {"muttering", Delivery::Soft},  {"mumbled", Delivery::Soft},
      {"breathed", Delivery::Soft},   {"hissed", Delivery::Soft},
      {"shouted", Delivery::Loud},    {"shouts", Delivery::Loud},
      {"shouting", Delivery::Loud},   {"yelled", Delivery::Loud},
      {"yells", Delivery::Loud},      {"screamed", Delivery::Loud},
      {"screams", Delivery::Loud},    {"roared", Delivery::Loud},
      {"bellowed", Delivery::Loud},   {"shrieked", Delivery::Loud},
      {"thundered", Delivery::Loud},  {"boomed", Delivery::Loud},
      {"screeched", Delivery::Loud},  {"exclaimed", Delivery::Loud}};
  return kDelivery;
}

const WordSet& never_names() {
  static const WordSet kWords = {
      "I", "The", "A", "An", "And", "But", "Or", "Nor", "So", "Yet", "For", "If", "Then",
      "When", "While", "Where", "What", "Who", "Whom", "Whose", "Why", "How", "Which", "That",
      "This", "These", "Those", "There", "Here", "Now", "Oh", "Ah", "Ha", "Yes", "No", "Not",
      "Well", "Why", "He", "She", "It", "We", "You", "They", "Him", "Her", "His", "Hers", "Its",
      "Our", "Your", "Their", "Them", "Us", "Me", "My", "Mine", "In", "On", "At", "To", "Of",
      "By", "With", "From", "As", "After", "Before", "Once", "Just", "Even", "Still", "Only",
      "All", "Some", "Any", "Every", "Each", "Both", "One", "Two", "Three", "Do", "Does", "Did",
      "Don't", "Is", "Was", "Are", "Were", "Be", "Been", "Have", "Has", "Had", "Will", "Would",
      "Can", "Could", "Shall", "Should", "May", "Might", "Must", "Let", "Please", "Thank",
      "Thanks", "Hey", "Hi", "Hello", "Okay", "OK", "Sure", "Maybe", "Perhaps", "Indeed",
      "Good", "God", "Lord", "Sir", "Madam", "Ma'am", "Miss", "Mr.", "Mrs.", "Ms.", "Dr.",
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
      "February", "March", "April", "June", "July", "August", "September", "October",
      "November", "December", "Christmas", "English", "French", "Korean", "Chapter", "CHAPTER",
      "Part", "Book", "Mother", "Father", "Mamma", "Papa", "Mama", "Dad", "Mom", "Mum", "Aunt",
      "Uncle", "Heaven", "Heavens", "Dear", "Poor", "Upon", "Into", "About", "Over", "Under",
      "Without", "Never", "Always", "Again", "Too", "Very", "Much", "More", "Most", "Such",
      "Other", "Another", "Nothing", "Everything", "Something", "Anything", "Nobody",
      "Everyone", "Someone", "Anyone", "Come", "Go", "Look", "See", "Tell", "Say", "Said",
      "Because", "Since", "Until", "Though", "Although", "Unless", "Whether", "Wait", "Stop",
      "Really", "Quite", "Alright", "Right", "Sorry", "Besides", "However", "Meanwhile",
      "Suddenly", "Instead", "Later", "Soon", "Today", "Tonight", "Tomorrow", "Yesterday",
      "Lady", "Ladies", "Gentlemen", "Captain", "Doctor", "Colonel", "Professor", "Mister",
      "Ugh", "Hmm", "Um", "Uh", "Wow", "Damn", "Oops", "Huh", "Yeah", "Nah", "Yah", "Aye",
      "Nay", "Pray", "Alas", "Hush", "Hurrah", "Bye", "Goodbye", "Whatever", "Anyway",
      "Are", "Am", "Isn't", "Aren't", "Wasn't", "Weren't", "Can't", "Won't", "Didn't",
      "Doesn't", "Haven't", "Hasn't", "Hadn't", "Couldn't", "Wouldn't", "Shouldn't", "I'm",
      "I've", "I'll", "I'd", "It's", "That's", "There's", "What's", "Let's", "You're",
      "We're", "They're", "He's", "She's", "Who's", "Mrs", "Mr", "Ms", "Dr", "St", "Lord",
      "King", "Queen", "Prince", "Princess", "Duke", "Duchess", "Earl", "Count", "Countess",
      "Baron", "Father", "Sister", "Brother", "Cousin", "Grandma", "Grandpa", "Granny",
      "Master", "Mistress", "Saint", "Ah", "Eh", "Nope", "Yep", "Hm", "Mhm", "Shh", "Psst",
      "Whoa", "Ooh", "Ow", "Ouch", "Ahem", "Gosh", "Golly", "Bah", "Pooh-pooh", "Oho", "Aha",
      "Hallo", "Halloa", "Ay", "Egad", "Faith", "Thou", "Thee", "Thy", "Ye", "Sure", "Fine",
      "True", "Exactly", "Certainly", "Nonsense", "Impossible", "Nor", "Except", "Through",
      "During", "Behind", "Beside", "Between", "Beyond", "Around", "Along", "Across", "Against",
      "Among", "Toward", "Towards", "Like", "Unlike", "Within", "Inside", "Outside", "Near",
      "First", "Second", "Last", "Next", "Finally", "Also", "Already", "Almost", "Enough",
      "Many", "Few", "Several", "Half", "Whoever", "Whenever", "Wherever", "However", "Hence",
      "Thus", "Therefore", "Otherwise", "Moreover", "Furthermore", "Nevertheless",
      "Nonetheless", "Ladyship", "Lordship", "Majesty", "Highness", "Honour", "Honor", "Sirs",
      "Madame", "Monsieur", "Signor", "Señor", "Herr", "Frau", "Sergeant", "Inspector",
      "Constable", "Mademoiselle", "Reverend", "Judge", "Bishop", "Vicar", "Nurse", "Missus",
      "Old", "Young", "Little", "Big", "Great", "Dear", "Darling", "Honey", "Baby", "Babe",
      "Sweetheart", "Love", "Man", "Woman", "Boy", "Girl", "Child", "Friend", "Sweet",
      "Fool", "Idiot", "Everybody", "Somebody", "Anybody", "Noone", "None", "Neither",
      "Either", "Did", "Whose", "Instagram", "Twitter", "YouTube", "Google", "OMG", "LOL",
      "Y", "N", "L", "F", "OK", "TV", "PD", "PDs", "CEO", "DM", "DMs", "WHAT", "NO", "YES",
      "Today", "Everyone's", "Nothing's", "Something's", "Everything's", "Ooh", "Ahh",
      "Tut", "Pshaw", "Fie", "Lo", "Behold", "Farewell", "Adieu", "Welcome", "Congratulations",
      "Goodness", "Bless", "Mercy", "Christ", "Jesus", "Hell", "Damn", "Dammit", "Shit",
      "Fuck", "Crap", "Bloody", "Jeez", "Geez", "Duh", "Huh", "Hah", "Haha", "Hehe"};
  return kWords;
}

const std::unordered_map<std::string_view, Gender>& person_titles() {
  static const std::unordered_map<std::string_view, Gender> kTitles = {
      {"Mr.", Gender::Male},        {"Mr", Gender::Male},          {"Mrs.", Gender::Female},
      {"Mrs", Gender::Female},      {"Ms.", Gender::Female},       {"Ms", Gender::Female},
      {"Miss", Gender::Female},     {"Lady", Gender::Female},      {"Sir", Gender::Male},
      {"Lord", Gender::Male},       {"Dr.", Gender::Unknown},      {"Doctor", Gender::Unknown},
      {"Uncle", Gender::Male},      {"Aunt", Gender::Female},      {"Captain", Gender::Unknown},
      {"Colonel", Gender::Male},    {"Professor", Gender::Unknown}, {"Mister", Gender::Male},
      {"Madame", Gender::Female},   {"Mme.", Gender::Female},      {"Monsieur", Gender::Male},
      {"King", Gender::Male},       {"Queen", Gender::Female},     {"Prince", Gender::Male},
      {"Princess", Gender::Female}, {"Duke", Gender::Male},        {"Duchess", Gender::Female},
      {"Father", Gender::Male},     {"Mother", Gender::Female},    {"Brother", Gender::Male},
      {"Sister", Gender::Female},   {"Master", Gender::Male},      {"Mistress", Gender::Female},
      {"Inspector", Gender::Unknown}, {"Sergeant", Gender::Unknown}, {"Major", Gender::Male},
      {"General", Gender::Unknown}, {"Count", Gender::Male},       {"Countess", Gender::Female},
      {"Baron", Gender::Male},      {"Baroness", Gender::Female},  {"Dame", Gender::Female},
      {"Manager", Gender::Unknown}, {"Granny", Gender::Female},    {"Grandma", Gender::Female},
      {"Grandpa", Gender::Male},    {"Auntie", Gender::Female},    {"Missus", Gender::Female}};
  return kTitles;
}

const std::unordered_map<std::string_view, Gender>& first_names() {
  static const std::unordered_map<std::string_view, Gender> kNames = [] {
    std::unordered_map<std::string_view, Gender> names;
    for (std::string_view n :
         {"James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph",
          "Thomas", "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald",
          "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Edward",
          "Ronald", "Timothy", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric",
          "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel",
          "Frank", "Gregory", "Raymond", "Alexander", "Patrick", "Jack", "Dennis", "Jerry",
          "Tyler", "Aaron", "Henry", "Adam", "Peter", "Nathan", "Zachary", "Walter", "Harold",
          "Kyle", "Carl", "Arthur", "Gerald", "Roger", "Keith", "Jeremy", "Terry", "Lawrence",
          "Sean", "Christian", "Albert", "Joe", "Ethan", "Austin", "Jesse", "Willie", "Billy",
          "Bruce", "Bryan", "Ralph", "Roy", "Jordan", "Eugene", "Wayne", "Louis", "Dylan",
          "Alan", "Juan", "Noah", "Russell", "Harry", "Randy", "Philip", "Vincent", "Bobby",
          "Johnny", "Logan", "Tom", "Tim", "Jim", "Bob", "Bill", "Fred", "Frederick", "Ned",
          "Ted", "Sam", "Ben", "Max", "Leo", "Oliver", "Hugh", "Ralph", "Edmund", "Edgar",
          "Oscar", "Felix", "Jasper", "Theo", "Toby", "Will", "Harry", "Charlie", "Alfie",
          "Archie", "Freddie", "Noah", "Liam", "Lucas", "Mason", "Elijah", "Aiden", "Caleb",
          "Isaac", "Owen", "Luke", "Gabriel", "Julian", "Levi", "Jaxon", "Hunter", "Connor",
          "Eli", "Ian", "Adrian", "Colin", "Cole", "Evan", "Gavin", "Miles", "Jake", "Nate",
          "Matt", "Mike", "Nick", "Steve", "Dan", "Danny", "Andy", "Tony", "Chris", "Alex",
          "Marcus", "Victor", "Simon", "Martin", "Hugo", "Otto", "Karl", "Hans", "Ivan",
          "Dmitri", "Pierre", "Jean", "Jacques", "Luigi", "Marco", "Carlos", "Diego", "Jose"}) {
      names.emplace(n, Gender::Male);
    }
    for (std::string_view n :
         {"Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
          "Sarah", "Karen", "Nancy", "Lisa", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly",
          "Emily", "Donna", "Michelle", "Dorothy", "Carol", "Amanda", "Melissa", "Deborah",
          "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Kathleen", "Amy", "Shirley",
          "Angela", "Helen", "Anna", "Brenda", "Pamela", "Nicole", "Emma", "Samantha",
          "Katherine", "Christine", "Debra", "Rachel", "Catherine", "Carolyn", "Janet", "Ruth",
          "Maria", "Heather", "Diane", "Virginia", "Julie", "Joyce", "Victoria", "Olivia",
          "Kelly", "Christina", "Lauren", "Joan", "Evelyn", "Judith", "Megan", "Cheryl",
          "Andrea", "Hannah", "Martha", "Jacqueline", "Frances", "Gloria", "Ann", "Anne",
          "Teresa", "Kathryn", "Sara", "Janice", "Jean", "Alice", "Madison", "Doris", "Abigail",
          "Julia", "Judy", "Grace", "Denise", "Amber", "Marilyn", "Beverly", "Danielle",
          "Theresa", "Sophia", "Marie", "Diana", "Brittany", "Natalie", "Isabella", "Charlotte",
          "Rose", "Alexis", "Kayla", "Lucy", "Lily", "Ella", "Chloe", "Mia", "Ava", "Amelia",
          "Harriet", "Jane", "Lydia", "Kitty", "Georgiana", "Caroline", "Louisa", "Fanny",
          "Eleanor", "Marianne", "Anne", "Isabel", "Isabelle", "Jemima", "Lizzy", "Eliza",
          "Nell", "Nelly", "Polly", "Molly", "Sally", "Peggy", "Meg", "Beth", "Jo", "Amy",
          "Clara", "Agnes", "Edith", "Ethel", "Florence", "Mabel", "Maud", "Matilda", "Nora",
          "Rosa", "Sophie", "Susie", "Tess", "Violet", "Wendy", "Zoe", "Emma",
          "Harriet", "Jane", "Augusta", "Rosie", "Ruby", "Stella", "Iris", "Ivy", "Jenny",
          "Jess", "Kate", "Katie", "Liz", "Maggie", "Nancy", "Sue", "Trish", "Ellie", "Hermione",
          "Ginny", "Luna", "Cho"}) {
      names.emplace(n, Gender::Female);
    }
    return names;
  }();
  return kNames;
}

const std::unordered_map<std::string_view, Gender>& person_nouns() {
  static const std::unordered_map<std::string_view, Gender> kNouns = {
      {"wife", Gender::Female},     {"husband", Gender::Male},    {"mother", Gender::Female},
      {"father", Gender::Male},     {"girl", Gender::Female},     {"boy", Gender::Male},
      {"woman", Gender::Female},    {"man", Gender::Male},        {"lady", Gender::Female},
      {"gentleman", Gender::Male},  {"sister", Gender::Female},   {"brother", Gender::Male},
      {"daughter", Gender::Female}, {"son", Gender::Male},        {"aunt", Gender::Female},
      {"uncle", Gender::Male},      {"king", Gender::Male},       {"queen", Gender::Female},
      {"old", Gender::Unknown},     {"stranger", Gender::Unknown}, {"doctor", Gender::Unknown},
      {"maid", Gender::Female},     {"servant", Gender::Unknown}, {"child", Gender::Unknown},
      {"friend", Gender::Unknown},  {"manager", Gender::Unknown}, {"visitor", Gender::Unknown},
      {"other", Gender::Unknown},   {"lad", Gender::Male},        {"fellow", Gender::Male},
      {"gentlemen", Gender::Male},  {"ladies", Gender::Female},   {"landlord", Gender::Male},
      {"landlady", Gender::Female}, {"mistress", Gender::Female}, {"master", Gender::Male},
      {"inspector", Gender::Unknown}, {"captain", Gender::Unknown}, {"stranger", Gender::Unknown},
      {"officer", Gender::Unknown}, {"clerk", Gender::Unknown},   {"host", Gender::Male},
      {"hostess", Gender::Female},  {"nurse", Gender::Female},    {"matron", Gender::Female},
      {"beadle", Gender::Male},     {"jew", Gender::Male},        {"member", Gender::Unknown},
      {"girls", Gender::Unknown},   {"boys", Gender::Unknown},    {"men", Gender::Male},
      {"women", Gender::Female},    {"others", Gender::Unknown},  {"crowd", Gender::Unknown}};
  return kNouns;
}

const WordSet& action_verbs() {
  static const WordSet kVerbs = {
      "nodded", "smiled", "grinned", "laughed", "shrugged", "sighed", "looked", "turned",
      "glanced", "frowned", "stared", "rolled", "shook", "raised", "leaned", "stepped",
      "walked", "sat", "stood", "reached", "pulled", "pushed", "took", "gave", "held", "put",
      "waved", "pointed", "paused", "hesitated", "swallowed", "blinked", "winked", "smirked",
      "scoffed", "snorted", "chuckled", "giggled", "hummed", "groaned", "gasped", "began",
      "continued", "added", "spoke", "rose", "came", "went", "ran", "moved", "opened",
      "closed", "placed", "set", "crossed", "bit", "tilted", "cocked", "furrowed", "narrowed",
      "widened", "lifted", "dropped", "let", "made", "felt", "thought", "knew", "seemed",
      "was", "had", "did", "could", "would", "tried", "wanted", "cleared", "coughed",
      "patted", "tapped", "grabbed", "hugged", "kissed", "squeezed", "entered", "appeared",
      "followed", "answered", "replied", "interrupted", "called", "cried", "exclaimed",
      "whispered", "muttered", "murmured", "said", "asked", "shouted", "yelled", "returned"};
  return kVerbs;
}

}  // namespace

bool is_speech_verb(std::string_view w) { return speech_verbs().count(w) > 0; }

Delivery delivery_of_verb(std::string_view w) {
  auto it = delivery_verbs().find(w);
  return it == delivery_verbs().end() ? Delivery::Normal : it->second;
}

bool is_never_a_name(std::string_view w) { return never_names().count(w) > 0; }

bool is_person_title(std::string_view w, Gender* gender) {
  auto it = person_titles().find(w);
  if (it == person_titles().end()) return false;
  if (gender) *gender = it->second;
  return true;
}

Gender gender_of_first_name(std::string_view name) {
  auto it = first_names().find(name);
  return it == first_names().end() ? Gender::Unknown : it->second;
}

Gender gender_of_pronoun(std::string_view w) {
  if (w == "he" || w == "him" || w == "his" || w == "himself") return Gender::Male;
  if (w == "she" || w == "her" || w == "hers" || w == "herself") return Gender::Female;
  return Gender::Unknown;
}

Gender gender_of_person_noun(std::string_view w, bool* is_person) {
  auto it = person_nouns().find(w);
  if (is_person) *is_person = it != person_nouns().end();
  return it == person_nouns().end() ? Gender::Unknown : it->second;
}

bool is_action_verb(std::string_view w) { return action_verbs().count(w) > 0; }

bool is_person_verb(std::string_view w) {
  // Verbs a town or a house can also take ("Enscombe was", "Randalls had") prove nothing.
  static const WordSet kGeneric = {"was", "had", "did", "could", "would", "made", "let", "set",
                                   "put", "seemed", "came", "went", "began", "continued"};
  return is_action_verb(w) && kGeneric.count(w) == 0;
}

}  // namespace troupe
