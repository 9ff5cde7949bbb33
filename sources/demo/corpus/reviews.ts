import type { DemoLanguage } from './people.ts';

/**
 * App-store style reviews of "Telvana My Account" and of Brightwave's app. A review is a title plus
 * a lead sentence and a couple of details. Leads always name the brand or the app; details do not,
 * which is how some Telvana reviews end up not mentioning "Telvana" at all (the store page makes the
 * subject obvious, and the demo's review source is dedicated to the watch).
 */

export type ReviewMood = 'positive' | 'mixed' | 'negative';

export interface ReviewTemplates {
  titles: readonly string[];
  leads: readonly string[];
  details: readonly string[];
  closers: readonly string[];
}

export const REVIEW_NORMAL: Record<DemoLanguage, Record<ReviewMood, ReviewTemplates>> = {
  en: {
    positive: {
      titles: [
        'Does what it needs to',
        'Great app',
        'Finally a telco app that works',
        'Easy bill payments',
        'Love it',
        'Really handy',
        'Five stars',
        'Much improved',
        'Simple and quick',
        'No complaints',
        '{brand} done right',
        'Best {brand} app yet',
        'Useful',
        'Solid',
      ],
      leads: [
        '{Easy|Quick|Simple} to check my data and pay my {brand} bill.',
        'The {app} app {just works|has everything I need|is really well laid out}.',
        'Been with {brand} for {#2-12} years and the app has {got much better|never let me down}.',
        'Switched to {brand} {last month|this year} and the app made setup {painless|a breeze}.',
        'Finally a {brand} app that doesn’t log me out every five minutes.',
        'Managing {#2-5} lines on {plan} with the {app} app is {easy|so simple}.',
        'Upgraded my {device} through the {brand} app in {#5-15} minutes.',
      ],
      details: [
        'Data usage is clear and updates quickly.',
        'Face ID login is a nice touch.',
        'Paying the bill takes seconds.',
        'Roaming add-ons are easy to find.',
        'Chat support answered in a few minutes.',
        'The usage graphs are really useful.',
        'Setting up {feature} was straightforward.',
        'Notifications before I hit my limit are great.',
        'It shows exactly what I’m paying for.',
        'Dark mode finally!',
        'The PUK code is right there when you need it.',
        'Bill history goes back years, handy for expenses.',
      ],
      closers: ['', '', 'Recommended.', 'Keep it up.', 'Well done.', 'Thanks!', '👍'],
    },
    mixed: {
      titles: [
        'OK but could be better',
        'Decent',
        'Does the job mostly',
        'Some bugs',
        'Average',
        'Needs work',
        'Fine I guess',
        'Hit and miss',
      ],
      leads: [
        'The {app} app is fine for paying bills but {that’s about it|not much else}.',
        '{brand} app works {most of the time|on a good day} but {it’s slow|login is fiddly}.',
        'Does the basics for my {brand} account, nothing special.',
        'Ok for checking data, but the {brand} app {crashes now and then|could be faster}.',
      ],
      details: [
        'Takes a while to load on my {device}.',
        'Would like to see {feature} settings in the app.',
        'The chat sometimes just hangs.',
        'Bill breakdown is confusing.',
        'Login needs a code every time.',
        'Some menus are buried too deep.',
        'Notifications arrive late.',
        'Layout changed again and I can’t find things.',
      ],
      closers: ['', '', 'Three stars for now.', 'Hope the next update fixes it.', 'It’ll do.'],
    },
    negative: {
      titles: [
        'Useless',
        'Keeps logging me out',
        'Terrible',
        'Doesn’t work',
        'Waste of time',
        'Crashes constantly',
        'Avoid',
        'Worse after update',
        'Can’t pay my bill',
        'So frustrating',
      ],
      leads: [
        'The {app} app logs me out {every time|constantly|whenever I switch apps}.',
        'Can’t pay my {brand} bill in the app, it {just spins|errors out|says try again later}.',
        '{brand} app update {broke everything|made it worse|wiped my saved card}.',
        'Tried to {change my plan|add a line|report a fault} in the {brand} app and {gave up|it crashed|nothing happened}.',
        '{brand} charged me {#5-40} euro extra and the app shows nothing about it.',
        'The {brand} app says I used {#5-30}GB I definitely didn’t use.',
      ],
      details: [
        'Support chat never answers.',
        'It crashes on my {device}.',
        'Usage numbers are days out of date.',
        'Had to call support in the end and waited {#30-80} minutes.',
        'Password reset email never arrives.',
        'Every update makes it slower.',
        'The bill PDF won’t open.',
        'Can’t even find where to cancel.',
      ],
      closers: ['', '', 'Fix it please.', 'Deleting.', 'Really poor.', 'One star is generous.'],
    },
  },
  es: {
    positive: {
      titles: ['Muy útil', 'Funciona bien', 'Genial'],
      leads: ['La app de {brand} es muy fácil de usar.', 'Pago la factura de {brand} en segundos.'],
      details: ['Se ve claro el consumo de datos.', 'El chat responde rápido.'],
      closers: ['', 'Recomendada.'],
    },
    mixed: {
      titles: ['Normalita', 'Mejorable'],
      leads: ['La app de {brand} cumple, pero va lenta.'],
      details: ['A veces se cierra sola.', 'El menú es confuso.'],
      closers: ['', 'Podría mejorar.'],
    },
    negative: {
      titles: ['Fatal', 'No funciona'],
      leads: ['La app de {brand} no me deja pagar la factura.', 'La app de {brand} se cierra todo el rato.'],
      details: ['El soporte no contesta.', 'Después de la actualización va peor.'],
      closers: ['', 'Un desastre.'],
    },
  },
  fr: {
    positive: {
      titles: ['Très pratique', 'Top', 'Efficace'],
      leads: ['L’app {brand} est simple et rapide.', 'Je paie ma facture {brand} en deux clics.'],
      details: ['La consommation de données est claire.', 'Le chat répond vite.'],
      closers: ['', 'Je recommande.'],
    },
    mixed: {
      titles: ['Moyen', 'Peut mieux faire'],
      leads: ['L’app {brand} fait le travail, mais elle est lente.'],
      details: ['Elle plante parfois.', 'Les menus sont confus.'],
      closers: ['', 'À améliorer.'],
    },
    negative: {
      titles: ['Nul', 'Ne marche pas'],
      leads: ['Impossible de payer ma facture dans l’app {brand}.', 'L’app {brand} plante sans arrêt.'],
      details: ['Le support ne répond jamais.', 'Pire depuis la mise à jour.'],
      closers: ['', 'Décevant.'],
    },
  },
  de: {
    positive: {
      titles: ['Sehr praktisch', 'Super App', 'Tut was sie soll'],
      leads: ['Die {brand} App ist einfach und schnell.', 'Rechnung bei {brand} in Sekunden bezahlt.'],
      details: ['Der Datenverbrauch ist übersichtlich.', 'Der Chat antwortet schnell.'],
      closers: ['', 'Empfehlenswert.'],
    },
    mixed: {
      titles: ['Geht so', 'Ausbaufähig'],
      leads: ['Die {brand} App funktioniert, ist aber langsam.'],
      details: ['Stürzt manchmal ab.', 'Die Menüs sind unübersichtlich.'],
      closers: ['', 'Da geht mehr.'],
    },
    negative: {
      titles: ['Katastrophe', 'Funktioniert nicht'],
      leads: [
        'In der {brand} App kann ich meine Rechnung nicht bezahlen.',
        'Die {brand} App stürzt ständig ab.',
      ],
      details: ['Der Support antwortet nie.', 'Seit dem Update noch schlimmer.'],
      closers: ['', 'Enttäuschend.'],
    },
  },
};

export type ReviewEpisodeTopic = 'outage' | 'support' | 'churn' | 'leak' | 'compensation' | 'app';

/** Telvana reviews during the outage and backlash: mostly one star. */
export const REVIEW_EPISODE: Record<
  DemoLanguage,
  {
    titles: readonly string[];
    leads: Partial<Record<ReviewEpisodeTopic, readonly string[]>>;
    details: readonly string[];
  }
> = {
  en: {
    titles: [
      'No signal for a whole day',
      'Outage and zero communication',
      'Useless during the outage',
      'Cancelling',
      'Shocking service',
      'Where is the compensation?',
      'Worst network',
      'Data leak??',
      'Down for hours',
      'Never again',
      '#telvanafail',
    ],
    leads: {
      outage: [
        'No service on {brand} for {#12-15} hours and the app {wouldn’t even load|just said try again later|showed everything as fine}.',
        'Network down all day and the {app} app had no status updates at all.',
        'Couldn’t call anyone for {most of the day|over {#10-14} hours}. {brand} is a joke.',
      ],
      support: [
        'Still waiting for a reply from {brand} support {a day|two days|three days|four days} after the outage.',
        'The in-app chat with {brand} was “unavailable” the whole outage.',
      ],
      churn: [
        'Cancelling my {brand} contract after this outage. Switching to {rival}.',
        'Used the app to request my PAC code so I can port my number away from {brand}.',
      ],
      leak: [
        'Heard my data was leaked after the {brand} outage and nobody will confirm or deny it.',
        'Rumours of a data leak at {brand} and the app has said nothing.',
      ],
      compensation: [
        '{brand} offering a tiny credit for a day without service. Insulting.',
        'No way to claim compensation for the outage in the {brand} app.',
      ],
      app: [
        'The {app} app crashed every time I tried to check the outage status.',
        'Couldn’t even log in to the {brand} app during the outage.',
      ],
    },
    details: [
      'Paying {#25-60} a month for nothing.',
      'No apology, no explanation.',
      'Their promo post during the outage says it all.',
      'I work from my phone, lost a full day.',
      'Not one push notification about the outage.',
      'Support queue was {#60-180} minutes.',
      'Changing all my passwords just in case.',
      'Down for hours and they still haven’t explained why.',
      'Switching to {rival}.',
    ],
  },
  es: {
    titles: ['Sin servicio todo el día', 'Vergonzoso'],
    leads: {
      outage: [
        '{brand} sin servicio durante {#10-15} horas y la app ni carga.',
        'Un día entero sin {señal|datos|llamadas} con {brand} en {place}.',
      ],
      churn: ['Me voy de {brand} a {rival} después de la caída.'],
    },
    details: ['Nadie da explicaciones.', 'Atención al cliente no contesta.'],
  },
  fr: {
    titles: ['Panne toute la journée', 'Honteux'],
    leads: {
      outage: [
        '{brand} en panne pendant {#10-15} heures et l’app ne charge même pas.',
        'Une journée entière sans {réseau|données|appels} avec {brand} à {place}.',
      ],
      churn: ['Je quitte {brand} pour {rival} après cette panne.'],
    },
    details: ['Aucune explication.', 'Le service client ne répond pas.'],
  },
  de: {
    titles: ['Den ganzen Tag kein Netz', 'Unverschämt'],
    leads: {
      outage: [
        '{brand} {#10-15} Stunden ausgefallen und die App lädt nicht mal.',
        'Einen ganzen Tag kein {Netz|Internet|Empfang} mit {brand} in {place}.',
      ],
      churn: ['Nach dem Ausfall wechsle ich von {brand} zu {rival}.'],
    },
    details: ['Keine Erklärung.', 'Der Support antwortet nicht.'],
  },
};

/** Brightwave reviews from people who just left Telvana ({brand} is Brightwave, {rival} Telvana). */
export const REVIEW_SWITCHED: {
  titles: readonly string[];
  leads: readonly string[];
  details: readonly string[];
} = {
  titles: ['Glad I switched', 'Smooth move', 'So much better', 'Easy switch'],
  leads: [
    'Moved from {rival} to {brand} after the outage, the app made porting my number {easy|painless|quick}.',
    'Switched to {brand} this week and set everything up in the app in {#10-20} minutes.',
    'Left {rival} after their outage, {brand} app is {clean|simple} and support answered straight away.',
  ],
  details: [
    'eSIM was activated in minutes.',
    'Signal is great where I live.',
    'Should have done this years ago.',
  ],
};
