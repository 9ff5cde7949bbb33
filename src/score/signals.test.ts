import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SignalKind } from '../core/mention.ts';
import { detectSignals } from './signals.ts';

const kinds = (text: string) => detectSignals(text).map((s) => s.kind);

const CASES: Record<SignalKind, { yes: string[]; no: string[] }> = {
  complaint: {
    yes: [
      'Worst customer service ever.',
      'The app is down again!',
      'I want my money back, this is unacceptable.',
    ],
    no: [
      'No complaints at all.',
      'It was down earlier but it is working again now.',
      'Ridiculously good coverage.',
    ],
  },
  slow_response: {
    yes: ['On hold for 2 hours.', "Emailed Monday and haven't heard back.", 'Three days and still no reply.'],
    no: ["Can't wait for the launch!", 'They replied within minutes.', 'Heard back from support, sorted.'],
  },
  churn_intent: {
    yes: [
      'Cancelling my contract today.',
      'Porting my number to another network.',
      'Switching to Vodafone next week.',
    ],
    no: [
      "I can't wait to switch to the new plan",
      'Switch to dark mode in settings.',
      'Cancelled my order, found it cheaper.',
      "I'm not cancelling, they fixed it.",
    ],
  },
  advice_elsewhere: {
    yes: [
      'I heard somewhere that prices go up.',
      'Someone on reddit said the outage is national.',
      'Apparently they are closing stores.',
    ],
    no: ['I read the manual.', 'Heard back from the team today.'],
  },
  questioning: {
    yes: [
      'Why did you raise my bill?',
      'Hidden fees everywhere.',
      'Is it even legal to charge for paper bills?',
    ],
    no: ['Why did I not switch sooner?', 'Thanks for explaining the fees.'],
  },
  security_fraud: {
    yes: [
      'There was a data breach.',
      'I was charged twice.',
      'My account was hacked.',
      'Phishing texts going round.',
    ],
    no: ['Great life hack for the router.', 'Not a scam, the refund arrived.', 'Roof leak fixed.'],
  },
  backlash: {
    yes: ['Boycott them.', 'That ad is tone-deaf.', '#TelvanaFail again', 'Shame on you.'],
    no: ['Great offensive play last night.', "The ad wasn't offensive at all."],
  },
  praise: {
    yes: [
      'Great service today!',
      'Highly recommend them.',
      'Thanks for sorting my bill!',
      'Kudos to the team.',
    ],
    no: [
      'Thanks for nothing.',
      'Would not recommend.',
      'Great, another outage.',
      'I used to love this network.',
    ],
  },
  question: {
    yes: ['How do I change my address?', 'Can someone help me?', 'Does anyone know the PUK code?'],
    no: ['Who even uses landlines?', 'How do they get away with this.'],
  },
};

describe('red-flag signals', () => {
  for (const [kind, { yes, no }] of Object.entries(CASES) as [
    SignalKind,
    { yes: string[]; no: string[] },
  ][]) {
    it(`${kind}: finds it with its evidence span`, () => {
      for (const text of yes) {
        const signal = detectSignals(text).find((s) => s.kind === kind);
        expect(signal, text).toBeDefined();
        expect(text.slice(signal?.start, signal?.end)).toBe(signal?.evidence);
        expect(signal?.evidence.length).toBeGreaterThan(0);
      }
    });
    it(`${kind}: ignores its hard negatives`, () => {
      for (const text of no) expect(kinds(text), text).not.toContain(kind);
    });
  }

  // Phrasing families added in the second round (each with hard negatives of the same shape).
  const FAMILIES: [SignalKind, string[], string[]][] = [
    [
      'slow_response',
      [
        'Day 5 of waiting for a callback.',
        'Hold time is currently 3 hours.',
        'Queue time: 50 minutes.',
        'Took them a month to reply to my letter.',
        'Been ignored by the billing team since May.',
        'Wrote to them last week and not a single word back.',
        'Twenty minutes listening to the hold music.',
      ],
      [
        'Day 2 of my holiday, lovely.',
        'It took me five minutes to set up.',
        'Hold time was 2 minutes, nice.',
      ],
    ],
    [
      'churn_intent',
      [
        'Moving my mortgage to another lender.',
        'Requested my PAC code this morning.',
        'Not renewing my policy this year.',
        'Unsubscribed from their streaming service.',
        'Leaving Acme Mobile for a local provider.',
      ],
      [
        'Moving my desk to the other room.',
        'Unsubscribed from their marketing emails.',
        'Leaving for the airport now.',
        'Moving my plan to the new tariff.',
      ],
    ],
    [
      'advice_elsewhere',
      [
        'Apparently Acme Bank is closing branches.',
        'Rumours are that they are being sold.',
        'People in the local Facebook group are saying the mast is down.',
        'Saw a video claiming they sell your data.',
        'Read on a forum that the plan is ending.',
        'My uncle reckons they never pay out.',
      ],
      ['I saw a post from Acme about the new plans.', "Apparently it's sunny tomorrow."],
    ],
    [
      'praise',
      [
        'Thank you Acme for fixing it so fast!',
        'Really happy with my new phone.',
        'Huge credit to the engineers.',
        'The crew were an absolute delight.',
        'Coverage in the village is excellent now.',
        'Their support is the best.',
      ],
      [
        'Thanks for explaining the terms.',
        'Thanks for the reply, but it did not help.',
        'Other banks would love it.',
        'Not happy with my new contract.',
      ],
    ],
  ];
  for (const [kind, yes, no] of FAMILIES) {
    it(`${kind}: second-round families and their hard negatives`, () => {
      for (const text of yes) expect(kinds(text), text).toContain(kind);
      for (const text of no) expect(kinds(text), text).not.toContain(kind);
    });
  }

  it('finds several signals in one post, one per kind', () => {
    const found = kinds(
      'On hold for 2 hours, worst service ever. Cancelling my contract. Why do you charge a fee for that?',
    );
    expect(found).toEqual(
      expect.arrayContaining(['slow_response', 'complaint', 'churn_intent', 'questioning']),
    );
    expect(new Set(found).size).toBe(found.length);
  });

  it('reads curly apostrophes like straight ones', () => {
    expect(kinds('I haven’t heard back in a week')).toContain('slow_response');
  });

  it('never throws and keeps spans inside the text on any Unicode input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        for (const s of detectSignals(text)) {
          expect(s.start).toBeGreaterThanOrEqual(0);
          expect(s.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
