/**
 * Word lists of the noisy company generator: given names with the nicknames
 * people actually go by, family names (many origins, accents, particles,
 * double-barrelled), departments with their abbreviations, offices with their
 * country, and the domains of personal mailboxes. Earlier entries are drawn
 * more often (a Zipf-like law), as in a real directory.
 *
 * @internal
 */

/** A given name and the short forms its bearers go by. @internal */
export type GivenName = readonly [formal: string, nicknames: ReadonlyArray<string>]

/** @internal */
export const givenNames: ReadonlyArray<GivenName> = [
  ["James", ["Jim", "Jimmy", "Jamie"]], ["Mary", ["Molly", "Mae"]], ["John", ["Jack", "Johnny"]], ["Patricia", ["Patty", "Tricia", "Pat"]],
  ["Robert", ["Bob", "Rob", "Bobby"]], ["Jennifer", ["Jen", "Jenny"]], ["Michael", ["Mike", "Mick"]], ["Linda", ["Lindy"]],
  ["William", ["Bill", "Will", "Billy"]], ["Elizabeth", ["Liz", "Beth", "Betsy", "Lisa"]], ["David", ["Dave"]], ["Barbara", ["Barb", "Babs"]],
  ["Richard", ["Rick", "Dick", "Rich"]], ["Susan", ["Sue", "Suzy"]], ["Joseph", ["Joe", "Joey"]], ["Jessica", ["Jess"]],
  ["Thomas", ["Tom", "Tommy"]], ["Sarah", []], ["Charles", ["Charlie", "Chuck"]], ["Karen", []],
  ["Christopher", ["Chris", "Topher"]], ["Nancy", []], ["Daniel", ["Dan", "Danny"]], ["Margaret", ["Peggy", "Maggie", "Meg"]],
  ["Matthew", ["Matt"]], ["Lisa", []], ["Anthony", ["Tony"]], ["Betty", []], ["Mark", []], ["Dorothy", ["Dot", "Dottie"]],
  ["Donald", ["Don", "Donnie"]], ["Sandra", ["Sandy"]], ["Steven", ["Steve"]], ["Ashley", []], ["Paul", []], ["Kimberly", ["Kim"]],
  ["Andrew", ["Andy", "Drew"]], ["Emily", ["Em"]], ["Joshua", ["Josh"]], ["Donna", []], ["Kenneth", ["Ken", "Kenny"]],
  ["Michelle", ["Shelly"]], ["Kevin", []], ["Carol", []], ["Brian", []], ["Amanda", ["Mandy"]], ["George", []], ["Melissa", ["Missy", "Mel"]],
  ["Timothy", ["Tim"]], ["Deborah", ["Deb", "Debbie"]], ["Ronald", ["Ron"]], ["Stephanie", ["Steph"]], ["Edward", ["Ed", "Ted", "Ned"]],
  ["Rebecca", ["Becky", "Becca"]], ["Jason", []], ["Sharon", []], ["Jeffrey", ["Jeff"]], ["Laura", []], ["Ryan", []], ["Cynthia", ["Cindy"]],
  ["Jacob", ["Jake"]], ["Kathleen", ["Kathy", "Kath"]], ["Gary", []], ["Amy", []], ["Nicholas", ["Nick", "Nicky"]], ["Angela", ["Angie"]],
  ["Eric", []], ["Shirley", []], ["Jonathan", ["Jon", "Jonny"]], ["Anna", []], ["Stephen", ["Steve"]], ["Brenda", []], ["Larry", []],
  ["Pamela", ["Pam"]], ["Justin", []], ["Emma", []], ["Scott", []], ["Nicole", ["Nikki"]], ["Brandon", []], ["Helen", []],
  ["Benjamin", ["Ben", "Benny"]], ["Samantha", ["Sam", "Sammy"]], ["Samuel", ["Sam"]], ["Katherine", ["Kate", "Katie", "Kat"]],
  ["Gregory", ["Greg"]], ["Christine", ["Chris", "Chrissy"]], ["Alexander", ["Alex", "Xander"]], ["Debra", ["Deb"]],
  ["Frank", []], ["Rachel", []], ["Patrick", ["Pat", "Paddy"]], ["Carolyn", []], ["Raymond", ["Ray"]], ["Janet", []],
  ["Jack", []], ["Catherine", ["Cathy", "Kate"]], ["Dennis", []], ["Maria", []], ["Jerry", []], ["Heather", []],
  ["Tyler", []], ["Diane", []], ["Aaron", []], ["Ruth", []], ["Jose", ["Pepe"]], ["Julie", []], ["Henry", ["Hank", "Harry"]],
  ["Olivia", ["Liv"]], ["Adam", []], ["Joyce", []], ["Douglas", ["Doug"]], ["Virginia", ["Ginny"]], ["Nathan", ["Nate"]],
  ["Victoria", ["Vicky", "Tori"]], ["Peter", ["Pete"]], ["Kelly", []], ["Zachary", ["Zach", "Zack"]], ["Lauren", []],
  ["Kyle", []], ["Christina", ["Tina"]], ["Walter", ["Walt"]], ["Joan", []], ["Harold", ["Hal"]], ["Evelyn", ["Evie"]],
  ["Jeremy", []], ["Judith", ["Judy"]], ["Ethan", []], ["Megan", []], ["Carl", []], ["Andrea", []], ["Keith", []], ["Cheryl", []],
  ["Roger", []], ["Hannah", []], ["Gerald", ["Gerry"]], ["Jacqueline", ["Jackie"]], ["Christian", []], ["Martha", ["Marty"]],
  ["Terry", []], ["Gloria", []], ["Sean", []], ["Teresa", ["Terri"]], ["Arthur", ["Art"]], ["Ann", []], ["Austin", []], ["Sara", []],
  ["Noah", []], ["Madison", ["Maddie"]], ["Lawrence", ["Larry"]], ["Frances", ["Fran"]], ["Jesse", []], ["Kathryn", ["Kathy"]],
  ["Joe", []], ["Janice", []], ["Bryan", []], ["Jean", []], ["Billy", []], ["Abigail", ["Abby"]], ["Jordan", []], ["Alice", []],
  ["Dylan", []], ["Julia", []], ["Bruce", []], ["Judy", []], ["Albert", ["Al", "Bert"]], ["Sophia", ["Sophie"]], ["Willie", []],
  ["Grace", []], ["Gabriel", ["Gabe"]], ["Denise", []], ["Logan", []], ["Amber", []], ["Alan", []], ["Doris", []],
  ["Juan", []], ["Marilyn", []], ["Wayne", []], ["Danielle", ["Dani"]], ["Roy", []], ["Beverly", ["Bev"]], ["Ralph", []],
  ["Isabella", ["Bella", "Izzy"]], ["Randy", []], ["Theresa", ["Tess"]], ["Eugene", ["Gene"]], ["Diana", []], ["Vincent", ["Vince", "Vinnie"]],
  ["Natalie", ["Nat"]], ["Russell", ["Russ"]], ["Brittany", []], ["Elijah", ["Eli"]], ["Charlotte", ["Lottie"]], ["Louis", ["Lou"]],
  ["Marie", []], ["Bobby", []], ["Kayla", []], ["Philip", ["Phil"]], ["Alexis", ["Lexi"]], ["Johnny", []], ["Lori", []],
  // other origins, accents kept where the name has them
  ["José", ["Pepe"]], ["María", []], ["Francisco", ["Paco", "Pancho"]], ["Guillermo", ["Memo", "Guille"]], ["Ignacio", ["Nacho"]],
  ["Jesús", ["Chuy"]], ["Alejandro", ["Alex", "Ale"]], ["Lucía", []], ["Sofía", []], ["Raúl", []], ["Inés", []], ["Andrés", []],
  ["Joaquín", ["Joaco"]], ["Martín", []], ["Ángel", []], ["Rocío", []], ["Begoña", []], ["Íñigo", []],
  ["François", []], ["Jérôme", []], ["Hélène", []], ["Zoé", []], ["Chloé", []], ["Renée", []], ["Noël", []], ["Joël", []], ["Anaïs", []],
  ["Gaëlle", []], ["Benoît", []], ["Françoise", []], ["Étienne", []],
  ["Jürgen", []], ["Björn", []], ["Jörg", []], ["Günter", []], ["Sören", []], ["Käthe", []], ["Johannes", ["Hans", "Jo"]], ["Wolfgang", ["Wolf"]],
  ["Søren", []], ["Åsa", []], ["Øystein", []], ["Bjørn", []], ["Ingrid", []], ["Sigrid", []],
  ["Giuseppe", ["Beppe", "Peppe"]], ["Giovanni", ["Gianni"]], ["Francesca", ["Franca"]], ["Niccolò", []], ["Lorenzo", ["Enzo"]],
  ["Łukasz", []], ["Małgorzata", ["Gosia"]], ["Wojciech", ["Wojtek"]], ["Agnieszka", ["Aga"]], ["Paweł", []], ["Zoë", []],
  ["Dmitri", ["Dima"]], ["Aleksandr", ["Sasha"]], ["Yekaterina", ["Katya"]], ["Anastasia", ["Nastya"]], ["Nikolai", ["Kolya"]],
  ["Yevgeny", ["Zhenya"]], ["Olga", []], ["Tatiana", ["Tanya"]], ["Sergei", []], ["Natalia", ["Natasha"]],
  ["Wei", []], ["Mei", []], ["Li", []], ["Jun", []], ["Xin", []], ["Hao", []], ["Yan", []], ["Jing", []], ["Lei", []],
  ["Hiroshi", []], ["Yuki", []], ["Takeshi", []], ["Haruka", []], ["Kenji", []], ["Akiko", []],
  ["Min-jun", []], ["Seo-yeon", []], ["Ji-ho", []],
  ["Priya", []], ["Arjun", []], ["Rahul", []], ["Ananya", []], ["Vikram", ["Vik"]], ["Deepika", []], ["Sanjay", []], ["Lakshmi", []],
  ["Mohammed", ["Mo"]], ["Fatima", []], ["Ahmed", []], ["Aisha", []], ["Omar", []], ["Layla", []], ["Yusuf", []], ["Zeynep", []],
  ["Kwame", []], ["Amara", []], ["Chidi", []], ["Ngozi", []], ["Oluwaseun", ["Seun"]], ["Adebayo", ["Bayo"]],
  ["Siobhán", []], ["Seán", []], ["Aoife", []], ["Niamh", []], ["Ciarán", []]
]

/** @internal */
export const familyNames: ReadonlyArray<string> = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
  "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
  "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
  "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
  "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
  "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
  "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes",
  "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
  "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
  "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens",
  "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen",
  "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
  "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Muñoz", "Hunt", "Hicks",
  "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
  "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
  "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
  // other origins
  "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez", "Gómez",
  "Díaz", "Jiménez", "Álvarez", "Fernández", "Vásquez", "Gutiérrez", "Núñez", "Domínguez", "Ibáñez", "Peña",
  "García López", "Fernández de Córdoba", "Martín-Sánchez", "De la Cruz", "Del Río", "San Martín",
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Schäfer", "Köhler", "Wagner", "Becker", "Hoffmann",
  "Schröder", "Krüger", "Groß", "Günther", "Lehmann", "Schulz", "Zimmermann", "Braun", "Hartmann", "Weiß",
  "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
  "Mercier", "Blanc", "Guérin", "Faure", "Chevalier", "François", "Gauthier", "Perrin", "Roussel", "Leclerc",
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
  "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Rizzo", "Lombardi", "Moretti",
  "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak",
  "Novák", "Svoboda", "Dvořák", "Černý", "Procházka",
  "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Sørensen", "Larsen", "Johansson", "Karlsson", "Nilsson",
  "Åberg", "Ødegård", "Lindström", "Bergström", "Sjöberg", "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Häkkinen",
  "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan",
  "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Novikov", "Morozov", "Petrov",
  "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
  "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao",
  "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
  "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim",
  "Sharma", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Chatterjee", "Banerjee",
  "Khan", "Ali", "Hussain", "Rahman", "Haddad", "Nasser", "Khalil", "Mansour",
  "Okafor", "Mensah", "Adeyemi", "Okonkwo", "Boateng", "Owusu", "Nwosu", "Abubakar",
  "O'Brien", "O'Connor", "O'Sullivan", "MacLeod", "McCarthy", "O'Neill", "Ó Súilleabháin", "Mac Giolla",
  "Van der Berg", "Van Dijk", "De Jong", "Janssen", "De Vries", "Van den Broek", "Bakker", "Visser",
  "Cohen", "Levy", "Friedman", "Katz", "Rosenberg", "Goldberg",
  "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Carvalho", "Gonçalves", "Araújo", "Magalhães", "Conceição"
]

/** A department, its abbreviations in other systems, and its job titles. @internal */
export interface Department {
  readonly name: string
  readonly abbreviations: ReadonlyArray<string>
  readonly titles: ReadonlyArray<string>
}

/** @internal */
export const departments: ReadonlyArray<Department> = [
  { name: "Engineering", abbreviations: ["Eng", "R&D"], titles: ["Software Engineer", "Senior Software Engineer", "Staff Engineer", "Engineering Manager", "QA Engineer", "Site Reliability Engineer"] },
  { name: "Sales", abbreviations: ["Sales"], titles: ["Account Executive", "Sales Manager", "Sales Development Rep", "Regional Director"] },
  { name: "Customer Support", abbreviations: ["Support", "CS"], titles: ["Support Engineer", "Support Lead", "Customer Success Manager"] },
  { name: "Marketing", abbreviations: ["Mktg"], titles: ["Marketing Manager", "Content Strategist", "Designer", "Product Marketing Manager"] },
  { name: "Finance", abbreviations: ["Fin"], titles: ["Accountant", "Controller", "Financial Analyst", "Payroll Specialist"] },
  { name: "Human Resources", abbreviations: ["HR", "People"], titles: ["Recruiter", "HR Business Partner", "HR Generalist"] },
  { name: "Operations", abbreviations: ["Ops"], titles: ["Office Manager", "Operations Analyst", "Facilities Coordinator"] },
  { name: "Legal", abbreviations: ["Legal"], titles: ["Counsel", "Paralegal", "Contracts Manager"] },
  { name: "Product", abbreviations: ["PM"], titles: ["Product Manager", "Senior Product Manager", "UX Researcher"] },
  { name: "IT", abbreviations: ["IT"], titles: ["IT Administrator", "Help Desk Technician", "Network Engineer"] },
  { name: "Procurement", abbreviations: ["Purchasing"], titles: ["Buyer", "Procurement Specialist"] },
  { name: "Executive Office", abbreviations: ["Exec"], titles: ["Executive Assistant", "Chief of Staff", "Vice President"] }
]

/** An office: its name, the name other systems use, and its country's number plan. @internal */
export interface Office {
  readonly name: string
  readonly alias: string
  readonly country: "US" | "GB" | "DE" | "FR"
  /** Area codes (US) or the fixed-line prefix without the trunk 0 (GB, DE, FR). */
  readonly areas: ReadonlyArray<string>
}

/** @internal */
export const offices: ReadonlyArray<Office> = [
  { name: "San Francisco", alias: "SF HQ", country: "US", areas: ["415", "628"] },
  { name: "New York", alias: "NYC", country: "US", areas: ["212", "646", "917"] },
  { name: "Chicago", alias: "CHI", country: "US", areas: ["312", "773"] },
  { name: "Austin", alias: "ATX", country: "US", areas: ["512", "737"] },
  { name: "London", alias: "LDN", country: "GB", areas: ["20"] },
  { name: "Boston", alias: "BOS", country: "US", areas: ["617", "857"] },
  { name: "Berlin", alias: "BER", country: "DE", areas: ["30"] },
  { name: "Denver", alias: "DEN", country: "US", areas: ["303", "720"] },
  { name: "Paris", alias: "PAR", country: "FR", areas: ["1"] },
  { name: "Seattle", alias: "SEA", country: "US", areas: ["206", "425"] },
  { name: "Atlanta", alias: "ATL", country: "US", areas: ["404", "678"] },
  { name: "Toronto", alias: "YYZ", country: "US", areas: ["416", "647"] }
]

/** @internal */
export const personalDomains: ReadonlyArray<string> = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "proton.me", "gmx.de", "orange.fr"]

/** Nearby keys on a QWERTY keyboard, for typing mistakes. @internal */
export const keyboardNeighbours: Readonly<Record<string, string>> = {
  a: "qsz", b: "vghn", c: "xdfv", d: "serfcx", e: "wsdr", f: "drtgvc", g: "ftyhbv", h: "gyujnb", i: "ujko", j: "huikmn",
  k: "jiolm", l: "kop", m: "njk", n: "bhjm", o: "iklp", p: "ol", q: "wa", r: "edft", s: "awedxz", t: "rfgy",
  u: "yhji", v: "cfgb", w: "qase", x: "zsdc", y: "tghu", z: "asx"
}
