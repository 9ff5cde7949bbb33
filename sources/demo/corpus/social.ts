import type { DemoLanguage } from './people.ts';

/**
 * Templates for short social posts. Slots: {brand} {care} {rival} {app} {plan} {brandTag} come from
 * the brand being talked about; {place} {device} {when}... from ./slots.ts. Every template names the
 * brand or its support handle so a watch query on the brand finds the post.
 */

export type Tone = 'positive' | 'neutral' | 'negative';

/** Templates grouped by topic (the topic ends up in `raw.topic`). */
export type TopicTemplates = Readonly<Record<string, readonly string[]>>;

export const SOCIAL_NORMAL: Record<DemoLanguage, Record<Tone, TopicTemplates>> = {
  en: {
    positive: {
      coverage: [
        "{brand}'s 5G in {place} is {seriously|actually|genuinely|surprisingly} fast, {#150-900} Mbps on my {device} {emojiPos}",
        '{brand} coverage on the {transport} to {place} has got {so much|way|loads} better {lately|this year|since the summer}',
        'Moved {person} over to {brand} and {they finally|we finally} have signal in the {room}',
        'Speed test on {brand} {when}: {#80-600} down, {#10-90} up. {Not bad at all|Happy days|Can’t complain}',
        '{brand} network at the {event} was solid while everyone else’s {dropped|died|crawled}',
        '{brand} fibre in {place} is flying, {#300-940} Mbps {on the laptop|over wifi|wired}',
        'Full bars of {brand} 5G in the middle of {place}. {Didn’t expect that|Impressed|Nice one}',
        '{brand} roaming in {country} worked {perfectly|first time|without a hitch}, no surprise charges',
        '{brand} wifi calling {saved me|is a lifesaver} in the {room}',
      ],
      support: [
        'Shoutout to {care} for sorting my {issue} in {#4-20} minutes',
        '{care} thanks for the {quick|fast|helpful|patient} reply, all sorted now',
        'Called {brand} support, waited {#1-4} minutes, problem fixed. {That’s how it should be|Impressed|Why can’t every company do this}',
        'Props to the {brand} shop in {place}, {they sorted|the lad sorted|the girl at the desk sorted} my {device} {in no time|in ten minutes|for free}',
        'Fair play to {brand}, they {refunded|credited} the {#5-40} euro without any fuss',
        '{brand} chat support {actually|genuinely} helped me {today|this morning}, {first time for everything|credit where it’s due}',
      ],
      value: [
        'Been with {brand} {#2-12} years now and {honestly|genuinely|touch wood} no complaints',
        'Just upgraded to {plan} with {brand}, {easiest upgrade ever|painless|smooth as anything|took five minutes}',
        'Loving the {brand} {family plan|student deal|data rollover}, {#10-100}GB left over this month',
        'Never thought I’d say this about a phone company but {brand} {is great|are decent|did good|have been brilliant} {lately|this year|for {person}|}',
        'Say what you want about {rival}, {brand} has been rock solid for me {in {place}|for {#2-12} years|this year}',
        '{plan} from {brand} at {#12-35} a month is {a steal|great value|hard to beat}',
        '{brand} didn’t put my price up this year. {Miracles happen|Shocked|Loyalty pays off apparently}',
      ],
      app: [
        'The {app} app is {actually|genuinely} {good|useful|decent} now, paid my bill in {#2-5} taps',
        '{feature} setup with {brand} took {#2-10} minutes on my {device}',
        'New {app} app update is {slick|so much faster|clean}, {brand} finally listened',
      ],
    },
    neutral: {
      question: [
        'Does anyone know if {brand} {charges for roaming in {country}|supports {feature} on the {device}|includes {feature} on {plan}}?',
        '{care} how do I {change my billing date|get a PUK code|add a line to my plan|turn off voicemail|set up {feature}|get a copy of my bill}?',
        'Thinking of switching to {brand} from {rival}. {Thoughts|Any regrets|Worth it|What’s the catch}?',
        'Is {brand} coverage any good in {place}?',
        'Anyone on {brand} know if the {plan} deal is still on?',
        'Got a {letter|text|email} from {brand} about {a price change|a new SIM|my contract ending|a network upgrade} {in {place}|}, is this legit?',
        'Which {brand} plan do people use for {travel|work|gaming|a teenager|{person}}? {Looking at {plan}|Torn between two|}',
        '{care} is there maintenance in {place} {tonight|today}? Signal’s a bit patchy',
        'Does the {app} app let you {split bills|see data usage per line|pause a line|block premium texts} {on {plan}|for {person}|}?',
        'Anyone else get the {brand} survey {text|email} {today|this week|}? What’s the {reward|catch}?',
        '{care} does {plan} work with {feature} in {country}?',
      ],
      chatter: [
        '{brand} just announced {plan} at {#15-45} euro a month. {Hmm|Interesting|We’ll see}',
        'On the phone to {brand} about my contract, {#20-40} mins so far',
        'Comparing {brand} and {rival} for {person}, similar prices {tbh|to be fair|really}',
        '{brand} engineer coming {today|tomorrow|on Thursday} to look at the {router|fibre box|line}',
        'Porting my number {from {rival}|over from my old network|} to {brand} {today|this week|on {month} 1st}, fingers crossed',
        'Saw a {brand} ad on the {bus|telly|Luas} {this morning|earlier}, {new jingle is catchy|weird one|who writes these}',
        '{brand} shop in {place} is {packed|empty|closed for a refit} {today|this afternoon}',
        'Contract with {brand} ends in {month}, {time to shop around|might stay|need to decide}',
        'Got my new {brand} SIM, {swapping it in later|activating tonight|took a while to arrive}',
        '{brand} vs {rival} in {place}: {both fine|both patchy|depends on the street} {emojiNeu}',
      ],
    },
    negative: {
      support: [
        '{care} still no reply to my {DM|email|complaint|ticket} from {#2-9} days ago',
        'Waited {#35-95} minutes on hold with {brand} {today|this morning|at lunch} and got cut off',
        '{brand} support chat bot is useless, {just loops|keeps sending me FAQs|can’t understand anything}',
        '{care} {#3-6} calls about the same {issue} and nobody rings back',
        '{brand} shop in {place} said they couldn’t help and to call support. Support said go to the shop.',
        'Slowest support replies I’ve ever seen. {brand}, {#4-10} days for an email, really?',
      ],
      billing: [
        '{brand} charged me {#5-60} euro extra {this month|again} and nobody can explain why',
        'Why is my {brand} bill {#10-30} euro higher than last month? {care}',
        '{brand} still billing me for a line I cancelled in {month}',
        '{brand} putting prices up {again|by {#4-9}%} in {month}, {great|brilliant|lovely}. Looking at {rival}',
        'Roaming charge from {brand} for a day in {country}. {Thought that was included|Nobody told me|Cheers}',
      ],
      coverage: [
        'No {brand} signal in {place} {again|since yesterday|all week|for days}',
        '{brand} 5G in {place}? More like one bar of 4G',
        'Calls keep dropping on {brand} {in {place}|on the {transport}|every evening} {since {month}|this week|}',
        '{brand} data {crawling|painfully slow|basically dial-up} in {place} {tonight|today|every evening}',
        'Paying for {plan} and getting {#1-5} Mbps in {place}. {brand} please.',
      ],
      app: [
        '{app} app logged me out {again|for the third time|and won’t let me back in}',
        'The {app} app {won’t load my bill|crashes on my {device}|says my payment failed when it didn’t}. {brand} sort it out',
        '{brand} app update {broke login|wiped my saved card|is a downgrade}. {care}',
      ],
    },
  },
  es: {
    positive: {
      coverage: [
        'La cobertura de {brand} en {place} es {genial|buenísima|una maravilla}',
        'El 5G de {brand} va volando: {#150-800} Mbps {emojiPos}',
      ],
      support: [
        'Gracias {care} por resolver lo de mi {factura|portabilidad|tarjeta SIM|cambio de tarifa} {tan rápido|en {#5-20} minutos|a la primera}',
        'Atención al cliente de {brand} {de diez|muy amable} {hoy|esta mañana} en {place}',
      ],
      value: [
        'Llevo {#2-10} años con {brand} y ni una queja',
        'La tarifa {plan} de {brand} sale muy bien de precio, {#10-40} euros al mes',
      ],
    },
    neutral: {
      question: [
        '¿Alguien sabe si {brand} cobra el roaming en {country}?',
        '{care} ¿cómo {cambio mi fecha de facturación|activo la eSIM en mi {device}|pido el código PUK|añado una línea a {plan}}?',
        '¿Qué tal la cobertura de {brand} en {place}?',
      ],
      chatter: [
        'Pensando en cambiarme a {brand} desde {rival}, ¿qué tal va en {place}?',
        'Me llega la SIM de {brand} {hoy|mañana|el lunes|el viernes} para mi {device}',
      ],
    },
    negative: {
      billing: [
        '{brand} me ha cobrado {#5-40} euros de más {otra vez|este mes}',
        'Otra subida de precio de {brand} en {month}. Genial.',
      ],
      coverage: [
        'Sin cobertura de {brand} en {place} {otra vez|desde ayer|toda la semana}',
        'Los datos de {brand} van lentísimos en {place} {hoy|esta noche|desde ayer}',
      ],
      support: [
        '{#30-90} minutos esperando al teléfono con {brand}. Increíble.',
        '{care} sigo sin respuesta a mi reclamación de hace {#2-9} días',
      ],
    },
  },
  fr: {
    positive: {
      coverage: [
        'Le réseau {brand} à {place} est {vraiment|franchement} top',
        'La 5G {brand} est rapide : {#150-800} Mbps {emojiPos}',
      ],
      support: [
        'Merci {care} pour la réponse {rapide|en {#5-20} minutes}, {ma facture|ma portabilité|ma carte SIM}, c’est réglé',
        'Service client {brand} au top {aujourd’hui|ce matin} à {place}',
      ],
      value: [
        'Client {brand} depuis {#2-10} ans, rien à redire',
        'Le forfait {plan} de {brand} à {#10-40} euros est vraiment pas cher',
      ],
    },
    neutral: {
      question: [
        'Quelqu’un sait si {brand} facture le roaming en {country} ?',
        '{care} comment {changer ma date de facturation|activer l’eSIM sur mon {device}|obtenir mon code PUK|ajouter une ligne à {plan}} ?',
        'La couverture {brand} à {place}, ça donne quoi ?',
      ],
      chatter: [
        'Je pense passer de {rival} à {brand}, ça capte bien à {place} ?',
        'Ma carte SIM {brand} arrive {aujourd’hui|demain|lundi|vendredi} pour mon {device}',
      ],
    },
    negative: {
      billing: [
        '{brand} m’a encore facturé {#5-40} euros de trop',
        'Encore une hausse de prix chez {brand} en {month}. Super.',
      ],
      coverage: [
        'Pas de réseau {brand} à {place} {encore une fois|depuis hier|toute la semaine}',
        'La 4G {brand} rame à {place} {ce soir|aujourd’hui|depuis hier}',
      ],
      support: [
        '{#30-90} minutes d’attente au service client {brand}. Sérieusement ?',
        '{care} toujours pas de réponse à ma réclamation de il y a {#2-9} jours',
      ],
    },
  },
  de: {
    positive: {
      coverage: [
        'Das {brand} Netz in {place} ist {echt|wirklich} super',
        '5G bei {brand}: {#150-800} Mbit/s. Nicht schlecht! {emojiPos}',
      ],
      support: [
        'Danke {care} für die {schnelle Hilfe|Hilfe in {#5-20} Minuten}, {Rechnung|Rufnummernmitnahme|SIM-Tausch} erledigt',
        'Der {brand} Support in {place} war {heute|heute Morgen} echt hilfsbereit',
      ],
      value: [
        'Seit {#2-10} Jahren bei {brand}, keine Beschwerden',
        'Der {plan} Tarif von {brand} für {#10-40} Euro ist echt günstig',
      ],
    },
    neutral: {
      question: [
        'Weiß jemand, ob {brand} Roaming in {country} berechnet?',
        '{care} wie {ändere ich mein Abrechnungsdatum|aktiviere ich die eSIM auf meinem {device}|bekomme ich meine PUK|füge ich eine Leitung zu {plan} hinzu}?',
        'Wie ist der {brand} Empfang in {place}?',
      ],
      chatter: [
        'Überlege von {rival} zu {brand} zu wechseln, wie ist der Empfang in {place}?',
        'Meine {brand} SIM für das {device} kommt {heute|morgen|am Montag|am Freitag}',
      ],
    },
    negative: {
      billing: [
        '{brand} hat mir schon wieder {#5-40} Euro zu viel berechnet',
        'Schon wieder eine Preiserhöhung bei {brand} im {month}. Toll.',
      ],
      coverage: [
        'Kein {brand} Netz in {place} {schon wieder|seit gestern|die ganze Woche}',
        'Mobile Daten bei {brand} in {place} {heute|seit gestern|abends} extrem langsam',
      ],
      support: [
        '{#30-90} Minuten in der Warteschleife bei {brand}. Echt jetzt?',
        '{care} immer noch keine Antwort auf meine Beschwerde von vor {#2-9} Tagen',
      ],
    },
  },
};

export const SOCIAL_OPENERS: Record<DemoLanguage, Record<Tone, readonly string[]>> = {
  en: {
    positive: ['', '', '', 'Honestly?', 'Not gonna lie:', 'Happy to report:', 'Small win:', 'Update:', 'Ok.'],
    neutral: ['', '', '', 'Quick one:', 'Random question:', 'Hi all.', 'Right.'],
    negative: [
      '',
      '',
      '',
      'Ugh.',
      'Seriously?',
      'Not again.',
      'Come on.',
      'Wow.',
      'Rant incoming:',
      'Third time this week:',
      'Unreal.',
    ],
  },
  es: {
    positive: ['', '', 'La verdad:'],
    neutral: ['', '', 'Pregunta:'],
    negative: ['', '', 'Vaya.', '¿En serio?', 'Otra vez.'],
  },
  fr: {
    positive: ['', '', 'Franchement :'],
    neutral: ['', '', 'Question :'],
    negative: ['', '', 'Bon.', 'Sérieux ?', 'Encore.'],
  },
  de: {
    positive: ['', '', 'Ehrlich gesagt:'],
    neutral: ['', '', 'Kurze Frage:'],
    negative: ['', '', 'Na toll.', 'Ernsthaft?', 'Schon wieder.'],
  },
};

/** Openers for angry posts during the outage and backlash (English only). */
export const SOCIAL_EPISODE_OPENERS: readonly string[] = [
  '',
  '',
  '',
  '',
  'Ugh.',
  'Seriously?',
  'Unreal.',
  'Wow.',
  'Come on.',
  'Absolute joke.',
  'Brilliant.',
  'Day ruined.',
  'Honestly.',
  'Fuming.',
];

export const SOCIAL_CLOSERS: Record<DemoLanguage, Record<Tone, readonly string[]>> = {
  en: {
    positive: [
      '',
      '',
      '',
      '👏',
      '🙌',
      'Well done.',
      'Credit where it’s due.',
      'Happy customer.',
      '10/10.',
      'Thanks lads.',
      'Delighted.',
    ],
    neutral: ['', '', '', 'Thanks!', 'Anyone?', 'Cheers.', '🤔', 'Any tips?', 'Let me know.'],
    negative: [
      '',
      '',
      '',
      'Not impressed.',
      'Sort it out.',
      '😤',
      '🙄',
      'Absolutely useless.',
      'Why is this so hard?',
      'Fix it please.',
      'Ridiculous.',
      'Done with this.',
      'Every single time.',
    ],
  },
  es: {
    positive: ['', '', '👏', '¡Gracias!'],
    neutral: ['', '', '¿Alguien?', 'Gracias.'],
    negative: ['', '', 'Qué vergüenza.', '😤', 'Lamentable.'],
  },
  fr: {
    positive: ['', '', '👏', 'Merci !'],
    neutral: ['', '', 'Des idées ?', 'Merci.'],
    negative: ['', '', 'Lamentable.', '😤', 'Ras le bol.'],
  },
  de: {
    positive: ['', '', '👏', 'Danke!'],
    neutral: ['', '', 'Jemand?', 'Danke.'],
    negative: ['', '', 'Peinlich.', '😤', 'Unmöglich.'],
  },
};

/** Ordinary hashtags that ride along on some posts (never the protest hashtag). */
export const SOCIAL_HASHTAGS: readonly string[] = [
  '{brandTag}',
  '{brandTag}',
  '#5G',
  '#mobile',
  '#customerservice',
  '#broadband',
  '#fibre',
  '#roaming',
  '#telecoms',
];

export type EpisodeTopic =
  | 'question'
  | 'outage'
  | 'support'
  | 'churn'
  | 'promo'
  | 'leak'
  | 'compensation'
  | 'restored'
  | 'joke'
  | 'sympathy';

/** Outage and backlash posts about Telvana ({rival} is Brightwave). */
export const SOCIAL_EPISODE: Record<DemoLanguage, Partial<Record<EpisodeTopic, readonly string[]>>> = {
  en: {
    question: [
      'Is it just me or is {brand} down in {place}?',
      'Anyone else on {brand} {in {place}|on the {device}|} with no {signal|data|bars} {right now|at the moment|since 10}?',
      '{care} is there an outage? No {data|signal|calls} in {place}',
      'Anyone know when {brand} will be back up {in {place}|}? {Need to call {person}|Waiting on a work call|Kind of urgent|Got a delivery coming}',
      'Is {brand} down everywhere or just {place}?',
      '{brand} down? {Phone says SOS only|Nothing loading|No bars at all} here in {place}',
    ],
    outage: [
      'No signal at all on {brand} in {place} since {this morning|about 10|9ish|breakfast}',
      '{brand} has been down for {#2-9} hours {now|and counting}. {No signal|No data|Can’t call anyone}',
      '{brand} outage in {place}, can’t even call {work|{person}|the school|a taxi|the doctor}',
      'My phone says SOS only. {Thanks|Cheers|Great job} {brand}.',
      'Whole {office|team|family|house|street} on {brand} in {place} and nobody has signal. {Great|Productive|Lovely} day.',
      'Can’t work, can’t call, can’t pay for parking. {brand} down for hours.',
      '{brand} outage map is just red {everywhere|across the country|from {place} to {place}}',
      'Down for {hours|{#3-9} hours|most of the day} and not a word from {brand} {to customers|on the app|by text}.',
      'Missed a {hospital appointment call|job interview call|delivery|call from the school} because {brand} is down',
      '{#2-9} hours without {signal|data|a single bar} on {brand}. {In this day and age|In a European capital|In {place}}.',
      'Card machines on {brand} are down too, half the shops in {place} are cash only',
      'Had to drive to {person}’s to use their wifi because {brand} is down',
      '{brand} is completely down in {place}. No calls, no texts, no data.',
    ],
    support: [
      'Still waiting for a reply from {brand} support. {#2-9} hours {now|and counting}.',
      '{care} any update?? {#2-9} hours with no signal',
      '{brand}’s helpline is engaged, the chat is down and {care} isn’t answering.',
      'Tried calling {brand} support from {person}’s phone, {#40-90} min queue',
      '{care} {#3-20} messages {later|and {#2-9} hours later} and still no {answer|reply|update}',
      '{care} a status update would be nice {after {#2-9} hours|for {place}|for those of us working from home}. {Anything|Anything at all|Hello?}',
      'Still waiting for a reply from support. {brand} have gone completely silent.',
      'The {brand} status page says “all systems operational”. {Sure|Right|Okay then}.',
    ],
    churn: [
      'That’s it, cancelling my {brand} contract {tomorrow|first thing Monday|today}',
      'Switching to {rival}. {#2-12} years with {brand} and this is how they treat us.',
      'How do I port my number out of {brand}? Asking for {myself|a friend|the whole family}',
      'Ordered a {rival} SIM. Bye {brand}.',
      '{brand} outage was the last straw, porting my number to {rival}',
      'Does anyone know if we can cancel {brand} without the exit fee after this?',
      'Cancelling my contract with {brand} {today|this week|after {#2-12} years}. {Done|Not paying for a phone that doesn’t work|Enough}.',
      'Switching to {rival} {this week|as soon as I have signal to do it}. {brand} had their chance.',
      '{care} I want my PAC code to port my number. {Today|Now please}.',
    ],
    promo: [
      '{brand} posting promos while the network is down for hours. Read the room.',
      '“The network you can count on” says the {brand} promo. {I can count the hours without signal|You couldn’t make this up}.',
      'Who approved that {brand} promo post during a {nationwide|massive} outage?',
      '{care} maybe fix the network {before advertising it|in {place} before the sales pitch|first, then the half price deals}?',
      'The {brand} social team posting a half price deal while nobody can use their phones is peak {comedy|tone-deaf}',
      '{brand}: no signal for {#3-9} hours. Also {brand}: “switch to us today!” 🤡',
    ],
    leak: [
      'Heard my data was leaked {in the|after the} {brand} outage?? {care} is this true?',
      'Rumour going round that the {brand} outage was a hack and customer data got leaked. {Anyone know more|Is this real}?',
      'If {brand} lost our data on top of {this|the outage|{#14-15} hours without signal} I’m {done|gone|switching to {rival}}.',
      '{care} were customer details exposed or not? Straight answer please.',
      'Someone in work says {brand} had a data breach and that’s why everything went down. {Great|Brilliant}.',
      'Changing all my passwords just in case. Heard my data was leaked by {brand}.',
    ],
    compensation: [
      'Will {brand} compensate us for {a full day|{#12-30} hours} without service?',
      '{care} I want a refund for the day I couldn’t work.',
      'Paying {brand} {#25-60} a month for a phone that doesn’t work.',
      '{brand} offering a {#2-5} euro credit for a day without service. {Insulting|Generous|Wow}.',
      '{care} how do I claim compensation for {the outage|yesterday}?',
    ],
    restored: [
      '{brand} signal back in {place}. {#12-15} hours. {Unreal|Let’s see what they offer|Not good enough}.',
      'Signal’s back on {brand} in {place}, but nobody’s forgotten {the last {#12-15} hours|that promo|the silence from {care}}.',
      '{brand} is back but data is still crawling in {place}',
      'Phone just buzzed with {#20-60} messages, {brand} must be back',
    ],
    joke: [
      'Hour {#3-30} of the {brand} outage: {started talking to my neighbours|found a board game|the kids have discovered books|I know my neighbour’s wifi password now}',
      '{brand} customers rediscovering {the landline|the payphone|pen and paper|shouting across the street} {today|this week}',
      'Thanks to {brand} I {read a whole book|cleaned the whole house|talked to my family|finished a jigsaw} {today|on the train|this afternoon}',
      '{brand} outage is the {digital detox|screen break|offline retreat} nobody asked for',
      'Nobody in {place} can doomscroll thanks to {brand}. {Silver linings|Every cloud|Small mercies}.',
    ],
    sympathy: [
      'Feeling for the {brand} {engineers|shop staff|call centre staff} {working on this|in {place}} {today|tonight|this week}, {it’s not their fault|hope they get a break|they didn’t cause it}.',
      'To be fair to {brand}, {care} did reply to me {eventually|in the end|after {#2-9} hours} with {an update|an apology|a reference number}.',
      'Spare a thought for the {brand} shop staff in {place} {today|this week}, not their fault.',
    ],
  },
  es: {
    outage: [
      '{brand} lleva {#2-9} horas caída. Ni llamadas ni datos.',
      '¿Se ha caído {brand}? Sin {señal|datos|llamadas} en {place} desde {esta mañana|las diez|hace {#2-9} horas}',
      'Sin cobertura de {brand} en {place} desde {esta mañana|las diez}. Vergonzoso.',
    ],
    support: [
      'Sigo esperando respuesta de {care} {después de {#2-9} horas|desde esta mañana}. {Vergonzoso|Lamentable}.',
    ],
    churn: [
      'Me cambio a {rival} {hoy|esta semana|mañana}. Se acabó {brand} después de {#2-12} años.',
      '¿Cómo porto mi número fuera de {brand}?',
      'Voy a cancelar mi contrato con {brand}.',
    ],
    leak: ['He oído que se han filtrado datos de clientes de {brand}. ¿Es verdad?'],
    promo: ['{brand} publicando promociones mientras la red está caída. Increíble.'],
  },
  fr: {
    outage: [
      '{brand} en panne depuis {#2-9} heures. Ni appels ni données.',
      '{brand} est en panne ? Aucun {réseau|appel|accès internet} à {place} depuis {ce matin|10h|{#2-9} heures}',
      'Plus de réseau {brand} à {place} depuis {ce matin|10h}. Lamentable.',
    ],
    support: [
      'Toujours pas de réponse de {care} {après {#2-9} heures|depuis ce matin}. {Lamentable|Honteux}.',
    ],
    churn: [
      'Je passe chez {rival} {aujourd’hui|cette semaine|demain}. Fini {brand} après {#2-12} ans.',
      'Comment garder mon numéro en quittant {brand} ?',
      'Je résilie mon contrat {brand}.',
    ],
    leak: ['Il paraît que des données clients {brand} ont fuité ?'],
    promo: ['{brand} qui poste une promo pendant la panne... sérieusement.'],
  },
  de: {
    outage: [
      '{brand} seit {#2-9} Stunden down. Keine Anrufe, keine Daten.',
      'Ist {brand} down? {Kein Netz|Keine Daten|Keine Anrufe} in {place} seit {heute Morgen|10 Uhr|{#2-9} Stunden}',
      'Seit {heute Morgen|10 Uhr} kein {brand} Netz in {place}. Peinlich.',
    ],
    support: [
      'Warte {seit {#2-9} Stunden|seit heute Morgen} auf eine Antwort von {care}. {Peinlich|Unfassbar}.',
    ],
    churn: [
      'Ich wechsle {heute|diese Woche|morgen} zu {rival}. Tschüss {brand}, nach {#2-12} Jahren.',
      'Wie nehme ich meine Nummer von {brand} mit?',
      'Ich kündige meinen {brand} Vertrag.',
    ],
    leak: ['Angeblich wurden Kundendaten von {brand} geleakt?'],
    promo: ['{brand} postet Werbung während das Netz ausgefallen ist. Unglaublich.'],
  },
};

/** What journalists and influencers post about the episode, by topic (others fall back to customers'). */
export const SOCIAL_EPISODE_NOTABLE: Partial<Record<EpisodeTopic, readonly string[]>> = {
  question: [
    'Hearing reports of a major {brand} outage across {the country|{place} and {place}}. Affected? DMs open.',
  ],
  outage: [
    '{brand} confirms “a technical issue” affecting mobile services. No timeline for a fix yet.',
    'Big {brand} outage: no calls or data for customers in {place}, {place} and beyond.',
  ],
  support: [
    'Lots of {brand} customers in my replies saying they’ve had no signal for {#3-9} hours. {brand} has said very little.',
  ],
  promo: ['Did {brand} really just post a promo in the middle of this outage? {Brutal|Wow}.'],
  leak: [
    '{brand} says there is “no evidence” customer data was affected, after rumours of a leak spread online.',
  ],
  churn: [
    'Worth knowing: if you want to leave {brand} after this, check your contract for outage clauses first.',
  ],
  compensation: [
    '{brand} customers: the regulator says you can ask for compensation for the outage. Keep records.',
  ],
};

/** Customers answering each other during the outage (replies to an earlier post). */
export const SOCIAL_ME_TOO: Record<DemoLanguage, readonly string[]> = {
  en: [
    'Same here in {place}, nothing on {brand} since {this morning|10|9ish}',
    'Same. {brand} completely dead {here|in {place}|for us too}',
    'Yep, {brand} down for us too. {#2-6} phones in the house, zero bars',
    'Not just you, {brand} is down {everywhere|all over {place}}',
    'Same, and {care} won’t answer anyone',
  ],
  es: ['Igual aquí en {place}, {brand} sin señal'],
  fr: ['Pareil à {place}, rien chez {brand}'],
  de: ['Hier in {place} genauso, {brand} komplett tot'],
};

/** Brightwave's small lift: people who left Telvana ({brand} is Brightwave, {rival} is Telvana). */
export const SOCIAL_SWITCHED: Record<DemoLanguage, readonly string[]> = {
  en: [
    'Switched to {brand} {today|yesterday} after the {rival} outage, signal’s {great|perfect|grand}',
    'Ported my number from {rival} to {brand} in {#1-3} hours. {Painless|So easy|Should have done it years ago|No hassle}.',
    '{brand} shop in {place} is rammed with {rival} refugees 😅',
    '{brand} had signal all day {in {place}|at work|at home} while {rival} was down. {Sold|Easy decision|Ordering a SIM|Noted}.',
    'Welcome to {brand}, me. {Goodbye|So long|Bye bye} {rival}, {#2-12} years was enough. {emojiPos}',
    'Switched to {brand} and {brand} support actually answered in {#2-10} minutes. {Imagine|Who knew}.',
  ],
  es: [
    'Me he cambiado a {brand} después de la caída de {rival}. {Todo perfecto|Ni un problema|Cobertura perfecta en {place}}.',
  ],
  fr: ['Passé chez {brand} après la panne {rival}. {Aucun regret|Tout marche|Réseau parfait à {place}}.'],
  de: [
    'Nach dem {rival} Ausfall zu {brand} gewechselt. {Läuft super|Keine Probleme|Perfekter Empfang in {place}}.',
  ],
};

/** The brand's scheduled promo that goes out two hours into the outage. */
export const PROMO_POST =
  '☀️ Summer’s calling! Switch to Telvana Unlimited today and get 3 months at half price. Stay connected with the network you can count on 📶 #TelvanaUnlimited';

export type CareSituation = 'normal' | 'question' | 'outage' | 'backlash';

/** Support replies; {handle} {first} {agent} are filled from the customer and the agent. */
export const CARE_REPLIES: Record<DemoLanguage, Record<CareSituation, readonly string[]>> = {
  en: {
    normal: [
      '@{handle} Hi {first}, sorry to hear that. {Can you DM us your account number|Please send us a DM with your number and address} and we’ll {look into it|take a look|get this sorted}. ^{agent}, {careSign}',
      '@{handle} Hi {first}, that’s not the experience we want for you. {Pop us a DM|Send us a DM} and we’ll {check your account|sort it out today}. ^{agent}, {careSign}',
      '@{handle} Sorry about that, {first}. We’ve {raised it with the team|opened a ticket} and will update you by DM. ^{agent}, {careSign}',
    ],
    question: [
      '@{handle} Hi {first}, you can do that in the {app} app under {Account|Settings|Billing|My plan}. Shout if you need a hand! ^{agent}, {careSign}',
      '@{handle} Hi {first}, good question! {Send us a DM|DM us} and we’ll {walk you through it|check what your plan includes}. ^{agent}, {careSign}',
    ],
    outage: [
      '@{handle} We’re sorry, {first}. We know about the issue affecting calls and data {in some areas|across the network} and engineers are working on it. ^{agent}, {careSign}',
      '@{handle} Hi {first}, apologies, we’re aware of a network problem and working to fix it as fast as we can. Updates on our status page. ^{agent}, {careSign}',
    ],
    backlash: [
      '@{handle} Hi {first}, services are restored and we’re truly sorry for the disruption. {DM us about a bill credit|We’ll be in touch about a credit on your account}. ^{agent}, {careSign}',
      '@{handle} Sorry {first}, we let you down. {DM us|Send us a DM} and we’ll look at your account personally. ^{agent}, {careSign}',
    ],
  },
  es: {
    normal: ['@{handle} Hola {first}, lo sentimos. Escríbenos por DM y lo revisamos. ^{agent}, {careSign}'],
    question: ['@{handle} Hola {first}, puedes hacerlo en la app {app}. ^{agent}, {careSign}'],
    outage: [
      '@{handle} Lo sentimos, {first}. Estamos trabajando para resolver la incidencia de red. ^{agent}, {careSign}',
    ],
    backlash: [
      '@{handle} Hola {first}, el servicio está restablecido. Disculpa las molestias. ^{agent}, {careSign}',
    ],
  },
  fr: {
    normal: ['@{handle} Bonjour {first}, désolés. Écrivez-nous en DM et on regarde. ^{agent}, {careSign}'],
    question: ['@{handle} Bonjour {first}, c’est possible dans l’app {app}. ^{agent}, {careSign}'],
    outage: [
      '@{handle} Désolés, {first}. Nos équipes travaillent sur l’incident réseau. ^{agent}, {careSign}',
    ],
    backlash: ['@{handle} Bonjour {first}, le service est rétabli. Toutes nos excuses. ^{agent}, {careSign}'],
  },
  de: {
    normal: [
      '@{handle} Hallo {first}, das tut uns leid. Schreib uns per DM, wir schauen es uns an. ^{agent}, {careSign}',
    ],
    question: ['@{handle} Hallo {first}, das geht in der {app} App. ^{agent}, {careSign}'],
    outage: ['@{handle} Sorry, {first}. Wir arbeiten mit Hochdruck an der Netzstörung. ^{agent}, {careSign}'],
    backlash: [
      '@{handle} Hallo {first}, der Dienst läuft wieder. Entschuldige die Störung. ^{agent}, {careSign}',
    ],
  },
};
