// The members of the `members` scenario: member i's state is a pure function
// of i (its own seeded random numbers), so the seed, the 200,000-member
// import's before-images and the queries' inputs all agree without keeping a
// million members in memory. Shaped like a union's list: ids M0000001… with
// a few legacy ones (lower case, accents), names from skewed lists with
// accents and a long tail, emails built from the names, UK mobiles in E.164,
// flags with realistic skew, three custom fields.
import type { TargetState } from "../lib/targets/target-state";
import { foldForSearch } from "../lib/targets/search-fold";
import { rng as seededRng } from "../tests/support/reference-model";

export const CUSTOM_FIELDS = [
  { slug: "branch", label: "Branch", kind: "text" },
  { slug: "dues", label: "Monthly dues", kind: "float" },
  { slug: "joined", label: "Joined", kind: "date" },
] as const;

/** The reference model's seeded generator (mulberry32): the same numbers on every run. */
export function rng(seed: number): () => number {
  return seededRng(seed).next;
}

/** Picks from a list whose first entries are the commonest (weights 1/rank). */
function zipf<T>(items: readonly T[]): (r: number) => T {
  const cum: number[] = [];
  let sum = 0;
  for (let k = 0; k < items.length; k++) cum.push((sum += 1 / (k + 1)));
  return (r) => {
    const x = r * sum;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo];
  };
}

export const FIRST_NAMES = [
  "John", "Sarah", "David", "Emma", "James", "Mohammed", "Olivia", "Michael", "Sophie", "Daniel", "Chloe", "Thomas", "Amelia", "Paul",
  "Jessica", "Mark", "Laura", "Peter", "Rebecca", "Andrew", "Hannah", "Richard", "Emily", "Christopher", "Lucy", "Steven", "Charlotte",
  "Siân", "José", "Łukasz", "Zoë", "Chloë", "Seán", "Siobhán", "Aoife", "Niamh", "Ciarán", "Dafydd", "Rhiannon", "Gwenllïan", "Iolo",
  "François", "Renée", "Hélène", "Jürgen", "Björn", "Søren", "Ångström", "Małgorzata", "Wojciech", "Agnieszka", "Krzysztof", "Zoltán",
  "Dóra", "Ana", "María", "Inês", "João", "Raúl", "Ángel", "Nuño", "Priya", "Aarav", "Fatima", "Aisha", "Omar", "Yusuf", "Wei", "Mei",
  "Kofi", "Ama", "Chidi", "Ngozi", "Oluwaseun", "Tendai", "Ahmed", "Bilal", "Zainab", "Leila", "Dmitri", "Olga", "Tomás", "Éamon",
  "Gráinne", "Mícheál", "Pádraig", "Bríd", "Eilidh", "Mhairi", "Ruaridh", "Catrìona", "Anne-Marie", "Jean-Luc", "Mary", "Susan", "Karen",
  "Helen", "Gareth", "Rhys", "Carys", "Ffion", "Owain", "Bethan", "Kieran", "Liam", "Noah", "Oscar", "Isla", "Ava", "Mia", "Grace",
];

export const LAST_NAMES = [
  "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson", "Thompson",
  "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner",
  "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
  "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson",
  "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams",
  "O'Brien", "O'Connor", "O'Neill", "McDonald", "MacLeod", "Ní Bhriain", "Ó Súilleabháin", "Müller", "Schäfer", "Groß", "Nowak",
  "Kowalski", "Wiśniewski", "Wójcik", "Łukasiewicz", "Dąbrowski", "Zieliński", "García", "Fernández", "González", "Rodríguez", "Pérez",
  "Sánchez", "Gómez", "Núñez", "Peña", "Gonçalves", "Conceição", "Ferreira", "Dubois", "Lefèvre", "Bérénice", "Gauthier", "Øster",
  "Bjørnsen", "Åberg", "Nguyễn", "Trần", "Lê", "Singh", "Kaur", "Sharma", "Begum", "Ali", "Hussain", "Ahmed", "Rahman", "Okafor",
  "Adeyemi", "Mensah", "Osei", "Chen", "Wang", "Li", "Zhang", "Kim", "Park", "Yılmaz", "Öztürk", "Şahin", "Papadopoulos", "Ivanov",
  "Smith-Jones", "Llewellyn", "ap Rhys", "Ffrench", "de la Cruz", "van der Berg", "D'Souza", "Fitzgerald", "Macdonald", "Nicholson",
];

const SYLLABLES = ["ab", "ber", "cal", "dun", "el", "far", "gow", "har", "ing", "kel", "lan", "mor", "nash", "ol", "pen", "quin", "ros",
  "sel", "tre", "ven", "wick", "yar", "zel", "thw", "ach", "ley", "by", "ton", "ham", "ford", "well", "worth", "field", "ridge"];

export const BRANCHES = [
  "London North", "London South", "Birmingham", "Manchester", "Leeds", "Glasgow", "Liverpool", "Bristol", "Sheffield", "Edinburgh",
  "Cardiff", "Leicester", "Coventry", "Bradford", "Belfast", "Nottingham", "Kingston upon Hull", "Newcastle", "Stoke-on-Trent",
  "Southampton", "Derby", "Portsmouth", "Brighton", "Plymouth", "Northampton", "Reading", "Luton", "Wolverhampton", "Bolton", "Aberdeen",
  "Bournemouth", "Norwich", "Swindon", "Swansea", "Milton Keynes", "Southend", "Middlesbrough", "Sunderland", "Warrington", "Huddersfield",
  "Peterborough", "Oxford", "Slough", "York", "Poole", "Ipswich", "Telford", "Cambridge", "Dundee", "Gloucester", "Wrexham", "Inverness",
];
export const DUES = [3.5, 5, 7.25, 10, 12.5, 15, 20];

const pickFirst = zipf(FIRST_NAMES);
const pickLast = zipf(LAST_NAMES);
const pickBranch = zipf(BRANCHES);
const DOMAINS = ["gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "btinternet.com", "icloud.com", "live.co.uk", "example.org"];
const pickDomain = zipf(DOMAINS);

/** A made-up surname (the long tail a real list has). */
function tailName(r: () => number): string {
  const n = 2 + Math.floor(r() * 2);
  let s = "";
  for (let k = 0; k < n; k++) s += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return s[0].toUpperCase() + s.slice(1);
}

/** Member i's id (1-based): M0000001…, 2% legacy lower-case ids, 0.5% with accents. */
export function idOf(i: number): string {
  if (i % 50 === 7) return `leg-${i.toString(36)}`;
  if (i % 200 === 13) return `ÉTÉ-${i}`;
  return `M${String(i).padStart(7, "0")}`;
}

/** A unique UK mobile for each member: +4474 and eight digits (every such number is valid). */
export function phoneOf(i: number): string {
  return `+4474${String((i * 48271) % 100_000_000).padStart(8, "0")}`;
}

const flag = (r: number, yes: number, no: number): boolean | null => (r < yes ? true : r < yes + no ? false : null);

const ascii = (s: string) => foldForSearch(s).replace(/[^a-z0-9]/g, "");

/** Member i as the merge stores it (normalised: email lower case, phone E.164, flags booleans). */
export function memberAt(i: number): TargetState {
  const r = rng(i * 2654435761);
  const first = pickFirst(r());
  const last = r() < 0.35 ? tailName(r) : pickLast(r());
  const emailKind = r();
  const k = Math.floor(r() * 1000);
  const local =
    emailKind < 0.4 ? `${ascii(first)}.${ascii(last)}${k}` : emailKind < 0.7 ? `${ascii(first)[0]}${ascii(last)}${k}` : `${ascii(first)}${ascii(last)}${k % 100}`;
  // a few keep the accents of the name (what folding changes: search_email)
  const accented = emailKind > 0.9 && foldForSearch(first) !== first.toLowerCase();
  const email = emailKind > 0.92 ? null : `${accented ? `${first.toLowerCase()}.${k}` : local}@${pickDomain(r())}`;
  const custom: TargetState["custom"] = {};
  if (r() < 0.9) custom.branch = pickBranch(r());
  if (r() < 0.6) custom.dues = DUES[Math.floor(r() * DUES.length)];
  if (r() < 0.8) {
    const day = new Date(Date.UTC(1990, 0, 1) + Math.floor(r() * 13_000) * 86_400_000);
    custom.joined = day.toISOString().slice(0, 10);
  }
  return {
    externalId: idOf(i),
    attrs: {
      first_name: r() < 0.02 ? null : first,
      last_name: last,
      email,
      phone_number: r() < 0.8 ? phoneOf(i) : null,
      subscription_email: flag(r(), 0.7, 0.2),
      subscription_sms: flag(r(), 0.3, 0.3),
      subscription_phone: flag(r(), 0.2, 0.1),
      subscription_whatsapp: flag(r(), 0.01, 0.04),
    },
    custom,
  };
}

/** What the big import changed in a member: SMS consent asked again, and a branch move for some. */
export function updatedMember(before: TargetState, i: number): TargetState {
  const r = rng(i * 40503 + 7);
  const custom = { ...before.custom };
  if (r() < 0.2) custom.branch = pickBranch(r());
  return { ...before, attrs: { ...before.attrs, subscription_sms: r() < 0.5 }, custom };
}
