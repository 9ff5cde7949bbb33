import type { SlotPools } from '../template.ts';
import type { DemoBrand } from '../timeline.ts';
import type { DemoLanguage } from './people.ts';

/**
 * Slot pools shared by every channel's templates. Per language for places and everyday words, per
 * brand for product names, so one template reads right for Telvana and for Brightwave.
 */

export interface BrandVocabulary {
  /** Display name as customers write it. */
  brand: string;
  /** The owned support handle, with @. */
  care: string;
  careHandle: string;
  /** How support signs its replies. */
  careSign: string;
  app: string;
  rival: string;
  rivalCare: string;
}

export const BRAND_VOCABULARY: Record<DemoBrand, BrandVocabulary> = {
  telvana: {
    brand: 'Telvana',
    care: '@TelvanaCare',
    careHandle: 'TelvanaCare',
    careSign: 'Telvana Care',
    app: 'Telvana My Account',
    rival: 'Brightwave',
    rivalCare: '@BrightwaveHelp',
  },
  brightwave: {
    brand: 'Brightwave',
    care: '@BrightwaveHelp',
    careHandle: 'BrightwaveHelp',
    careSign: 'Brightwave Help',
    app: 'Brightwave',
    rival: 'Telvana',
    rivalCare: '@TelvanaCare',
  },
};

const BRAND_POOLS: Record<DemoBrand, SlotPools> = {
  telvana: {
    plan: ['Unlimited 5G', 'Flex 30', 'Family Plus', 'Go 15', 'Fibre 500', 'Student Saver', 'Unlimited Max'],
    brandTag: ['#Telvana', '#telvana'],
  },
  brightwave: {
    plan: ['Wave Unlimited', 'Wave Lite', 'Wave Family', 'Wave Fibre', 'Wave Student', 'Wave 20'],
    brandTag: ['#Brightwave', '#brightwave'],
  },
};

const COMMON: SlotPools = {
  emojiPos: ['🙌', '👏', '💪', '😊', '🔥', '👌', '📶', '✅', ''],
  emojiNeg: ['😤', '🙄', '😡', '🤬', '😩', '💀', '🤦', ''],
  emojiNeu: ['🤔', '📱', '👀', ''],
};

const LANGUAGE_POOLS: Record<DemoLanguage, SlotPools> = {
  en: {
    place: [
      'Dublin',
      'Cork',
      'Galway',
      'Limerick',
      'Waterford',
      'Kilkenny',
      'Sligo',
      'Athlone',
      'Drogheda',
      'Wexford',
      'Dundalk',
      'Tralee',
      'Ennis',
      'Navan',
      'Bray',
      'Swords',
      'Letterkenny',
      'Portlaoise',
      'Tullamore',
      'Carlow',
      'Rathmines',
      'Clontarf',
      'Tallaght',
      'Blackrock',
      'Salthill',
      'Douglas',
      'Naas',
      'Mullingar',
      'Killarney',
      'Castlebar',
      'the city centre',
      'my estate',
      'the village',
    ],
    country: [
      'Spain',
      'France',
      'Portugal',
      'Italy',
      'the US',
      'Germany',
      'Croatia',
      'Greece',
      'Morocco',
      'Iceland',
      'Poland',
    ],
    device: [
      'iPhone 15',
      'Pixel 8',
      'Galaxy S24',
      'old Moto G',
      'work phone',
      'iPad',
      'Galaxy A54',
      'Fairphone',
      'iPhone 12',
      'OnePlus',
      'new phone',
    ],
    month: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
    when: [
      'this morning',
      'today',
      'tonight',
      'since lunchtime',
      'all day',
      'yesterday',
      'this week',
      'last night',
    ],
    person: [
      'my mum',
      'my dad',
      'my partner',
      'my brother',
      'my gran',
      'my boss',
      'my sister',
      'my flatmate',
      'my son',
      'my daughter',
    ],
    room: ['kitchen', 'garden', 'back bedroom', 'attic office', 'front room', 'garage'],
    issue: [
      'billing issue',
      'roaming charge',
      'SIM swap',
      'upgrade',
      'porting request',
      'lost phone',
      'broken router',
      'bill',
      'PUK lock',
    ],
    event: [
      'match at the Aviva',
      'gig in Marlay Park',
      'festival',
      'Ploughing',
      'marathon',
      'Paddy’s Day parade',
      'concert',
    ],
    transport: ['train', 'bus', 'motorway', 'Luas', 'DART', 'ferry'],
    feature: ['eSIM', 'wifi calling', '5G', 'data rollover', 'roaming', 'visual voicemail', 'number porting'],
    waitUnit: ['days', 'hours'],
  },
  es: {
    place: [
      'Madrid',
      'Valencia',
      'Sevilla',
      'Zaragoza',
      'Málaga',
      'Bilbao',
      'Murcia',
      'Granada',
      'Alicante',
      'Vigo',
      'Gijón',
    ],
    country: ['Francia', 'Portugal', 'Italia', 'Marruecos', 'Reino Unido', 'Irlanda'],
    device: ['iPhone', 'Pixel', 'Galaxy', 'móvil nuevo', 'Xiaomi'],
    month: [
      'enero',
      'febrero',
      'marzo',
      'abril',
      'mayo',
      'junio',
      'julio',
      'agosto',
      'septiembre',
      'octubre',
      'noviembre',
      'diciembre',
    ],
    when: ['esta mañana', 'hoy', 'esta noche', 'desde ayer', 'toda la semana', 'desde el mediodía'],
  },
  fr: {
    place: [
      'Lyon',
      'Lille',
      'Nantes',
      'Bordeaux',
      'Toulouse',
      'Rennes',
      'Marseille',
      'Strasbourg',
      'Nice',
      'Grenoble',
      'Dijon',
    ],
    country: ['Espagne', 'Italie', 'Portugal', 'Suisse', 'Maroc', 'Irlande'],
    device: ['iPhone', 'Pixel', 'Galaxy', 'nouveau téléphone', 'Xiaomi'],
    month: [
      'janvier',
      'février',
      'mars',
      'avril',
      'mai',
      'juin',
      'juillet',
      'août',
      'septembre',
      'octobre',
      'novembre',
      'décembre',
    ],
    when: ['ce matin', "aujourd'hui", 'ce soir', 'depuis hier', 'toute la semaine', 'depuis midi'],
  },
  de: {
    place: [
      'Berlin',
      'Köln',
      'Hamburg',
      'München',
      'Leipzig',
      'Stuttgart',
      'Bremen',
      'Dresden',
      'Hannover',
      'Freiburg',
      'Mainz',
    ],
    country: ['Österreich', 'Italien', 'Spanien', 'Frankreich', 'Kroatien', 'Irland'],
    device: ['iPhone', 'Pixel', 'Galaxy', 'neues Handy', 'Xiaomi'],
    month: [
      'Januar',
      'Februar',
      'März',
      'April',
      'Mai',
      'Juni',
      'Juli',
      'August',
      'September',
      'Oktober',
      'November',
      'Dezember',
    ],
    when: ['heute Morgen', 'heute', 'heute Abend', 'seit gestern', 'die ganze Woche', 'seit Mittag'],
  },
};

const cache = new Map<string, SlotPools>();

/** The slot pools for one brand in one language (built once, then shared). */
export function slotPools(brand: DemoBrand, language: DemoLanguage): SlotPools {
  const key = `${brand}:${language}`;
  let pools = cache.get(key);
  if (!pools) {
    pools = { ...COMMON, ...LANGUAGE_POOLS.en, ...LANGUAGE_POOLS[language], ...BRAND_POOLS[brand] };
    cache.set(key, pools);
  }
  return pools;
}

/** Template variables naming the brand, its support handle, its app and its rival. */
export function brandVars(brand: DemoBrand): Record<string, string> {
  const v = BRAND_VOCABULARY[brand];
  return {
    brand: v.brand,
    care: v.care,
    careSign: v.careSign,
    app: v.app,
    rival: v.rival,
    rivalCare: v.rivalCare,
  };
}
