import { beforeAll, describe, expect, it } from 'vitest';
import { detectLanguage, loadLanguageDetector } from './language.ts';

describe('detectLanguage', () => {
  beforeAll(() => loadLanguageDetector());

  it.each([
    ['Telvana has not worked since yesterday and nobody answers my calls', 'en'],
    ['Telvana no funciona desde ayer y nadie responde a mis llamadas', 'es'],
    ['Je suis très déçu du service client de Telvana, personne ne répond', 'fr'],
    ['Sehr zufrieden mit dem Support von Telvana, alles schnell erledigt', 'de'],
    ['Il servizio clienti di Telvana non risponde da tre giorni', 'it'],
    ['O atendimento da Telvana não responde há três dias', 'pt'],
  ])('tags %j as %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('trusts a language the source declared', () => {
    expect(detectLanguage('Telvana no funciona', 'pt')).toBe('pt');
  });

  it('says "unknown" (null) rather than guessing on short or link-and-hashtag-only text', () => {
    expect(detectLanguage('ok')).toBeNull();
    expect(detectLanguage('#telvanafail @telvanacare https://t.co/abcdef')).toBeNull();
  });
});

describe('loadLanguageDetector', () => {
  it('is needed before a detection, and loads once', async () => {
    const first = loadLanguageDetector();
    expect(loadLanguageDetector()).toBe(first);
    await first;
    expect(detectLanguage('Telvana has not worked since yesterday and nobody answers my calls')).toBe('en');
  });
});
