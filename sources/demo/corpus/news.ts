import type { Tone } from './social.ts';

/**
 * News articles, blog posts and forum threads. A story is a title, a lead paragraph and a few body
 * paragraphs drawn from its topic, so two articles on the same topic read differently.
 * English only for the long-form stories; the foreign-language outlets use the short ones below.
 */

export interface NewsTopic {
  tone: Tone;
  /** Which kinds of outlet write this story. */
  kinds: readonly ('article' | 'blog' | 'forum')[];
  titles: readonly string[];
  leads: readonly string[];
  body: readonly string[];
}

export const NEWS_NORMAL: Readonly<Record<string, NewsTopic>> = {
  rollout: {
    tone: 'positive',
    kinds: ['article', 'blog'],
    titles: [
      '{brand} switches on 5G in {town}',
      '{brand} expands 5G to {#20-60} more towns including {town}',
      '{brand} completes network upgrade in {town}',
    ],
    leads: [
      '{brand} has switched on 5G in {town}, bringing faster mobile data to {#20-90},000 homes and businesses.',
      '{brand} says its network upgrade in {town} is finished, with average download speeds up {#20-60}% on last year.',
    ],
    body: [
      'The operator plans to reach {#85-97}% population coverage by the end of {month}.',
      'Customers on {plan} get 5G at no extra cost, {brand} said.',
      'Independent tests in {town} measured median speeds of {#120-380} Mbps.',
      'Rival {rival} is expected to announce its own upgrade later this year.',
      'Local councillors welcomed the investment but said rural areas are still waiting.',
    ],
  },
  prices: {
    tone: 'negative',
    kinds: ['article', 'blog', 'forum'],
    titles: [
      '{brand} to raise prices by {rise}% from {month}',
      '{brand} customers face bill increase in {month}',
      'Anyone else’s {brand} bill gone up?',
    ],
    leads: [
      '{brand} will raise monthly prices for most mobile and broadband customers by {rise}% from {month}.',
      'Customers of {brand} have started receiving letters about a mid-contract price rise.',
    ],
    body: [
      'Consumer groups said the increase was hard to justify while complaints about support waiting times remain high.',
      'Customers who are out of contract can switch without penalty, and {rival} is already advertising to them.',
      'The operator said the rise reflects higher energy and network costs.',
      'Bill questions and complaints about slow support replies are the most common issues raised on its forums.',
      'Some customers on {plan} say their bill has gone up by more than {#4-9} euro a month.',
    ],
  },
  results: {
    tone: 'neutral',
    kinds: ['article'],
    titles: [
      '{brand} adds {adds},000 customers in the quarter',
      '{brand} revenue up {growth}% as data use grows',
    ],
    leads: [
      '{brand} reported {growth}% revenue growth in its latest quarter, helped by strong demand for unlimited data plans.',
      '{brand} added {adds},000 mobile customers in the three months to {month}, according to its quarterly update.',
    ],
    body: [
      'Churn was stable at around {#1-2}.{#1-9}% a month.',
      'The company said average data use per customer rose to {#18-35}GB a month.',
      'Its chief executive said the focus for the year is network reliability and customer service.',
      '{rival} reports its own figures next month.',
    ],
  },
  plan: {
    tone: 'neutral',
    kinds: ['article', 'blog'],
    titles: [
      '{brand} launches {plan} with unlimited data',
      '{brand} refreshes {plan}: what changes',
      'Is {brand}’s {plan} worth it?',
    ],
    leads: [
      '{brand} has launched a new version of {plan} at {#15-45} euro a month with unlimited data and EU roaming.',
      'We spent a month on {brand}’s {plan}. Here is how it held up.',
    ],
    body: [
      'Speeds in {town} were consistently good, though indoor coverage was patchier.',
      'Setup was quick and {feature} worked first time.',
      'The {app} app makes it easy to track usage and add-ons.',
      'At this price it undercuts {rival} by a couple of euro a month.',
      'Support was reachable by chat, though replies could take a while in the evening.',
    ],
  },
  forum: {
    tone: 'neutral',
    kinds: ['forum'],
    titles: [
      '{brand} speeds in {town}?',
      '{brand} vs {rival} for {town}',
      'Best {brand} plan for a family of {#3-6}?',
      '{brand} {feature} not working on {device}',
    ],
    leads: [
      'Moving to {town} next month. Anyone on {brand} there? How are the speeds indoors?',
      'Trying to decide between {brand} and {rival}. Mostly in {town} and travel to {country} a few times a year.',
      'Has anyone got {feature} working with {brand} on my {device}? Support told me to reset the phone.',
    ],
    body: [
      'Reply: I’m on {brand} in {place}, {#60-400} Mbps most of the time, drops a bit at night.',
      'Reply: coverage is fine outdoors, weak in my {room}.',
      'Reply: support took {#2-6} days to answer my email but sorted it in the end.',
      'Reply: {rival} is a bit cheaper but {brand} has better coverage where I am.',
      'Reply: make sure you ask for the loyalty discount before renewing.',
    ],
  },
  award: {
    tone: 'positive',
    kinds: ['article'],
    titles: ['{brand} tops network reliability survey', '{brand} named best for coverage in {town}'],
    leads: [
      '{brand} came first for call reliability in an independent drive test covering {#1200-3000} km of roads.',
      'A crowd-sourced speed survey ranked {brand} top for coverage in {town}.',
    ],
    body: [
      '{rival} came a close second on download speeds.',
      'The survey measured dropped calls, data speeds and time without signal.',
      'Customer service scores were lower, reflecting longer support waiting times.',
    ],
  },
  store: {
    tone: 'neutral',
    kinds: ['article'],
    titles: ['{brand} opens new store in {town}', '{brand} to close {#3-9} high-street shops'],
    leads: [
      '{brand} has opened a new store in {town}, its {#20-45}th in the country.',
      '{brand} says more customers are using the {app} app and it will close some smaller shops.',
    ],
    body: [
      'Staff will offer device repairs and setup help.',
      'The company said no jobs would be lost.',
      'Customers can still get help by phone and chat.',
    ],
  },
};

export interface EpisodeNewsTopic extends NewsTopic {
  /** Not before this many hours after the outage started (a story needs something to report). */
  fromHour: number;
  /** Relative likelihood. */
  weight: number;
}

/** Stories about Telvana's outage and its aftermath ({rival} is Brightwave). */
export const NEWS_EPISODE: Readonly<Record<string, EpisodeNewsTopic>> = {
  outage: {
    tone: 'negative',
    fromHour: 0,
    weight: 4,
    kinds: ['article', 'blog', 'forum'],
    titles: [
      '{brand} outage leaves customers without mobile service',
      '{brand} network down: calls and data hit across the country',
      'Live: {brand} outage, what we know so far',
      '{brand} down? Customers report no signal in {town} and {place}',
    ],
    leads: [
      'Customers of {brand} have been left without calls or mobile data since around 10am, with reports from {town}, {place} and beyond.',
      'A major {brand} outage is affecting mobile services across the country, the operator has confirmed.',
      'Thousands of {brand} customers say they have had no signal for hours, with phones showing “SOS only”.',
    ],
    body: [
      '{brand} said it was “aware of a technical issue” and that engineers were working to restore service.',
      'Outage tracking sites logged more than {#8-30},000 reports within the first hour.',
      'Card payments in some shops were also affected where terminals use {brand} SIMs.',
      'Customers complained that the support line was engaged and the online chat unavailable.',
      'The company has not said what caused the problem.',
      'Emergency calls can still be made through other networks, {brand} said.',
    ],
  },
  hashtag: {
    tone: 'negative',
    fromHour: 3,
    weight: 2,
    kinds: ['article', 'blog'],
    titles: [
      '#telvanafail trends as customers vent over outage',
      '“Down for hours”: anger grows online over {brand} outage',
    ],
    leads: [
      'The hashtag #telvanafail was trending nationally within hours, as customers shared screenshots of phones with no signal.',
      'Anger at {brand} is spilling over online, where #telvanafail has been used tens of thousands of times.',
    ],
    body: [
      'Many posts say customers are still waiting for a reply from support.',
      'Several users say they are cancelling their contracts and switching to {rival}.',
      'Some posts mock the brand’s slogan, “the network you can count on”.',
      'Questions about how to port a number away from {brand} are among the most shared posts.',
    ],
  },
  promo: {
    tone: 'negative',
    fromHour: 4,
    weight: 2,
    kinds: ['article', 'blog'],
    titles: [
      '{brand} criticised for promo post during outage',
      '“Read the room”: {brand} promo lands in the middle of outage',
    ],
    leads: [
      'A scheduled promotional post from {brand}, offering half-price plans from “the network you can count on”, went out two hours into the outage.',
      '{brand} has been widely mocked after its support account posted a sales promotion while the network was down.',
    ],
    body: [
      'The post drew hundreds of angry replies within minutes and was later deleted.',
      'Social media experts said scheduled posts should be paused during any incident.',
      '{brand} said the post was scheduled in advance and apologised.',
      'Screenshots of the promo are being shared alongside #telvanafail.',
    ],
  },
  leak: {
    tone: 'negative',
    fromHour: 8,
    weight: 1.5,
    kinds: ['article', 'forum'],
    titles: [
      '{brand} denies data leak rumours after outage',
      'Was customer data leaked? What we know about the {brand} rumours',
    ],
    leads: [
      '{brand} says there is “no evidence” that customer data was affected, after rumours of a data leak spread online.',
      'Claims that the {brand} outage was caused by a hack, and that customer data was leaked, have spread quickly on social media.',
    ],
    body: [
      'The operator said the outage was caused by a fault during a core network upgrade, not an attack.',
      'Security researchers said they had seen no sign of {brand} data for sale.',
      'The data protection regulator said it had not received a breach notification.',
      'Customers are advised to be wary of phishing texts claiming to offer outage compensation.',
    ],
  },
  restored: {
    tone: 'neutral',
    fromHour: 14,
    weight: 3,
    kinds: ['article'],
    titles: ['{brand} restores service after 14-hour outage', '{brand} network back after day-long outage'],
    leads: [
      '{brand} says mobile services have been restored after an outage of around 14 hours.',
      'Calls and data are working again for {brand} customers, the operator said late on {weekday}.',
    ],
    body: [
      'The company blamed a fault during a planned core network upgrade.',
      'Some customers reported slow data for several hours after service returned.',
      '{brand} said it would set out compensation arrangements in the coming days.',
      'The communications regulator said it had asked {brand} for a full report.',
    ],
  },
  compensation: {
    tone: 'negative',
    fromHour: 20,
    weight: 2,
    kinds: ['article', 'forum', 'blog'],
    titles: [
      '{brand} customers demand compensation after outage',
      'Anyone getting compensation from {brand}?',
      'Your rights after the {brand} outage',
    ],
    leads: [
      'Customers are demanding compensation from {brand} after a day without mobile service.',
      'Has anyone actually heard back from {brand} about a credit for the outage? Still waiting for a reply from support here.',
    ],
    body: [
      '{brand} has offered a one-off credit of {#2-5} euro, which many customers called insulting.',
      'Consumer advocates say customers may be able to leave their contract without penalty.',
      'Reply: I asked for my PAC code and they offered me a month free instead.',
      'Reply: cancelling my contract anyway, switching to {rival}.',
    ],
  },
  churn: {
    tone: 'negative',
    fromHour: 24,
    weight: 1.5,
    kinds: ['blog', 'forum', 'article'],
    titles: ['Switching networks after the {brand} outage: a guide', 'Leaving {brand}: who did you port to?'],
    leads: [
      'If the {brand} outage has you thinking about switching, here is how to port your number.',
      'After the outage I’m done with {brand}. Who did everyone move to?',
    ],
    body: [
      'Text PAC to 50106 to get your porting code; the switch usually takes one working day.',
      'Reply: went to {rival}, ported my number in a couple of hours.',
      'Reply: staying put for now, but if it happens again I’m gone.',
      '{rival} says it has seen a jump in customers switching.',
    ],
  },
  apology: {
    tone: 'neutral',
    fromHour: 30,
    weight: 1.5,
    kinds: ['article'],
    titles: [
      '{brand} chief apologises for outage and promises review',
      '{brand} boss: “We let our customers down”',
    ],
    leads: [
      'The chief executive of {brand} has apologised to customers for the outage and promised an independent review.',
      '“We let our customers down,” the head of {brand} said in an open letter.',
    ],
    body: [
      'The letter also addressed the promotional post sent during the outage, calling it “a mistake”.',
      'The company repeated that no customer data was leaked.',
      'Customers will receive a credit on their next bill, {brand} said.',
    ],
  },
};

/** Brightwave's side of the episode ({brand} is Brightwave, {rival} is Telvana). */
export const NEWS_SWITCHED: NewsTopic = {
  tone: 'positive',
  kinds: ['article', 'blog'],
  titles: [
    '{brand} says sign-ups jumped after {rival} outage',
    '{brand} wins customers as {rival} deals with fallout',
  ],
  leads: [
    '{brand} says it has seen a sharp rise in people switching from {rival} since last week’s outage.',
    'Shops run by {brand} report queues of {rival} customers asking to port their numbers.',
  ],
  body: [
    'The operator declined to give exact figures.',
    'Several customers said the outage was the final straw after years of slow support.',
    '{brand} has extended its switching offer until the end of the month.',
  ],
};

/** Short stories for the Spanish, French and German outlets. */
export const NEWS_FOREIGN: Record<'es' | 'fr' | 'de', { normal: readonly NewsTopic[]; episode: NewsTopic }> =
  {
    es: {
      normal: [
        {
          tone: 'positive',
          kinds: ['article'],
          titles: ['{brand} amplía su red 5G a {town}', 'El 5G de {brand} llega a {town}'],
          leads: ['{brand} anuncia la llegada del 5G a {town}.'],
          body: [
            'La operadora prevé cubrir el {#85-97}% de la población este año.',
            'La competencia de {rival} sigue apretando.',
          ],
        },
        {
          tone: 'neutral',
          kinds: ['article'],
          titles: ['{brand} lanza la tarifa {plan}'],
          leads: ['{brand} presenta {plan} por {#15-45} euros al mes con datos ilimitados.'],
          body: ['La tarifa incluye roaming en la UE.', '{rival} tiene una oferta parecida.'],
        },
      ],
      episode: {
        tone: 'negative',
        kinds: ['article'],
        titles: ['Caída masiva de {brand}: clientes sin llamadas ni datos'],
        leads: ['Los clientes de {brand} llevan horas sin servicio móvil.'],
        body: ['La operadora no ha explicado la causa.', 'En redes crece la etiqueta #telvanafail.'],
      },
    },
    fr: {
      normal: [
        {
          tone: 'positive',
          kinds: ['article'],
          titles: ['{brand} déploie la 5G à {town}', 'La 5G de {brand} arrive à {town}'],
          leads: ['{brand} annonce l’arrivée de la 5G à {town}.'],
          body: [
            'L’opérateur vise {#85-97} % de couverture cette année.',
            'La concurrence de {rival} s’intensifie.',
          ],
        },
        {
          tone: 'neutral',
          kinds: ['article'],
          titles: ['{brand} lance le forfait {plan}'],
          leads: ['{brand} présente {plan} à {#15-45} euros par mois avec données illimitées.'],
          body: ['Le forfait inclut le roaming dans l’UE.', '{rival} propose une offre similaire.'],
        },
      ],
      episode: {
        tone: 'negative',
        kinds: ['article'],
        titles: ['Panne géante chez {brand} : clients privés de réseau'],
        leads: ['Les clients {brand} sont privés d’appels et de données depuis des heures.'],
        body: [
          'L’opérateur n’a pas donné d’explication.',
          'Le mot-dièse #telvanafail se répand sur les réseaux.',
        ],
      },
    },
    de: {
      normal: [
        {
          tone: 'positive',
          kinds: ['article'],
          titles: ['{brand} baut 5G in {town} aus', '{brand} bringt 5G nach {town}'],
          leads: ['{brand} startet 5G in {town}.'],
          body: ['Der Anbieter will {#85-97} Prozent Abdeckung erreichen.', 'Konkurrent {rival} zieht nach.'],
        },
        {
          tone: 'neutral',
          kinds: ['article'],
          titles: ['{brand} startet den Tarif {plan}'],
          leads: ['{brand} bietet {plan} für {#15-45} Euro im Monat mit unbegrenztem Datenvolumen.'],
          body: ['Roaming in der EU ist inklusive.', '{rival} hat ein ähnliches Angebot.'],
        },
      ],
      episode: {
        tone: 'negative',
        kinds: ['article'],
        titles: ['Großstörung bei {brand}: Kunden ohne Netz'],
        leads: ['{brand} Kunden haben seit Stunden kein Mobilfunknetz.'],
        body: ['Der Anbieter nennt keine Ursache.', 'Im Netz verbreitet sich der Hashtag #telvanafail.'],
      },
    },
  };
