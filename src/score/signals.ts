import type { Signal, SignalKind } from '../core/mention.ts';

/**
 * Trust red flags (and praise): hand-written English patterns, each giving the span that matched as
 * evidence. A rule is a pattern plus guards: `unless` patterns near the match (hard negatives such as
 * "can't wait to switch to the new plan", "no complaints", "life hack") cancel it. Pure and fast:
 * patterns are compiled once. See docs/scoring.md for what each signal means.
 */

interface Rule {
  re: RegExp;
  /** Patterns that, found within the same sentence, cancel the match (hard negatives). */
  unless?: RegExp[];
  /** Cancel when a negator stands just before the match ("not cancelling", "never had to wait"). */
  negatable?: boolean;
}

const NEG_BEFORE =
  /\b(?:not|never|no|don't|dont|didn't|didnt|won't|wont|wouldn't|isn't|wasn't|aren't|without|no need to|zero)\s+(?:\w+\s+){0,2}$/i;

function rx(source: string): RegExp {
  return new RegExp(source, 'giu');
}

/** Guards are only tested, never iterated, so they carry no global state. */
function guard(source: string): RegExp {
  return new RegExp(source, 'iu');
}

const RULES: Record<SignalKind, Rule[]> = {
  complaint: [
    {
      re: rx(
        String.raw`\b(?:worst|terrible|awful|horrible|appalling|atrocious|pathetic|abysmal|shocking|dreadful|useless|rubbish|shambolic|disgraceful|lousy|garbage|crap|crappy|shoddy)\s+(?:\w+\s+){0,2}(?:service|support|company|provider|experience|network|coverage|app|customer\s+service|customer\s+care|connection|signal|internet|broadband|wifi|product|quality|bank|airline|delivery|phone|plan|website|billing|staff)\b`,
      ),
      unless: [
        guard(String.raw`\bnot\s+(?:the\s+)?(?:worst|terrible|awful|bad)\b`),
        guard(String.raw`\bused\s+to\s+be\b`),
      ],
    },
    {
      re: rx(
        String.raw`\b(?:(?:is|are|was|been|has\s+been|keeps?|still)\s+(?:\w+\s+)?(?:down|broken|not\s+working|crashing|failing|unusable)|keeps?\s+(?:\w+\s+)?dropping|(?:isn't|is\s+not|aren't|wasn't)\s+working|emergency\s+calls\s+only|arrived\s+(?:\w+\s+)?(?:smashed|broken|damaged|cracked|faulty|dead)|(?:service|support|app|network|coverage|wifi|internet|staff|customer\s+service|signal|broadband)\s+(?:is|was|are|has\s+been)\s+(?:\w+\s+)?(?:useless|terrible|awful|rubbish|pathetic|shocking|appalling|horrendous|atrocious|garbage|crap|dreadful)|(?:doesn't|does\s+not|don't|won't|didn't)\s+(?:even\s+)?work|stopped\s+working|no\s+(?:signal|service|internet|connection)\s+(?:again|for|since|all)|(?:another|yet\s+another|third|second)\s+(?:outage|dropped\s+call|failed\s+delivery))`,
      ),
      unless: [
        guard(String.raw`\b(?:fixed|resolved|back\s+up|working\s+again|sorted)\b`),
        guard(
          String.raw`\b(?:(?:people|they|someone|everyone)\b[^.!?]{0,30}\bsaying|said\s+that|heard|apparently|rumou?r)\b`,
        ),
      ],
    },
    {
      re: rx(
        String.raw`\b(?:fed\s+up|sick\s+(?:and\s+tired\s+)?of|so\s+(?:disappointed|frustrated|annoyed|angry)|really\s+(?:disappointed|frustrated|annoyed)|unacceptable|ridiculous|a\s+joke|a\s+disgrace|a\s+nightmare|overcharg(?:ed|ing)|ripped\s+(?:me\s+)?off|rip[-\s]?off|never\s+(?:using|buying|flying|ordering)\s+\w+\s+again|want\s+(?:a|my)\s+(?:refund|money\s+back)|(?:file|filing|make|making|lodge|lodged)\s+an?\s+(?:formal\s+)?complaint|complain(?:ed|ing)?\s+(?:to|about))`,
      ),
      unless: [
        guard(
          String.raw`\b(?:no\s+complaints?|not\s+(?:a\s+)?(?:joke|ridiculous|disappointed)|ridiculously\s+(?:good|fast|cheap|easy))\b`,
        ),
        guard(String.raw`\b(?:terms|policy|policies|fees?|rates|prices?|charges?)\s+(?:are|is)\s+a\s+joke`),
      ],
      negatable: true,
    },
  ],
  slow_response: [
    {
      re: rx(
        String.raw`\b(?:still\s+(?:waiting|no\s+(?:reply|response|answer|word|update|callback))|(?:waiting|waited|been\s+waiting)\s+(?:for\s+)?(?:over\s+|more\s+than\s+|nearly\s+|almost\s+)?(?:\d+|an?|one|two|three|four|five|six|several|many)\s+(?:\w+\s+)?(?:hours?|days?|weeks?|months?|hrs?|mins?|minutes)|on\s+hold\s+(?:for\s+)?(?:over\s+|nearly\s+|almost\s+)?(?:\d+|an?|one|two|three|forty|ninety|forever|ages)|hold\s+music\s+for|no\s*(?:one|body)\s+(?:has\s+|ever\s+)?(?:gets?|got|gotten|replie[sd]|reply|respond(?:s|ed)?|answer(?:s|ed)?|called|picks?\s+up)(?:\s+back)?|(?:haven't|have\s+not|hasn't|has\s+not|never|not)\s+(?:yet\s+)?(?:received|had|got(?:ten)?)\s+(?:a|any)\s+(?:reply|response|answer|callback)|(?:waiting|waited)\s+for\s+(?:a\s+)?(?:reply|response|answer|callback|call\s*back|refund)\s+(?:since|for)|it's\s+been\s+(?:over\s+)?(?:\d+|a|an|one|two|three|four|five|six|several)\s+(?:\w+\s+)?(?:days?|weeks?|months?)(?:\s+since|\s*[.,!]|\s+and)|(?:haven't|hasn't|have\s+not|has\s+not|never|didn't|did\s+not)\s+(?:\w+\s+)?(?:heard\s+back|replied|responded|answered|got(?:ten)?\s+(?:a\s+)?(?:reply|response|answer|call\s*back)|called\s+(?:me\s+)?back|gotten\s+back|get\s+back)|no\s+(?:reply|response|answer|callback|call\s+back)\s+(?:yet|from|after|since|to|in)|(?:ignored|ignoring)\s+(?:my|me|our|us|all|every)|left\s+(?:me\s+)?on\s+read|ghosted|(?:days?|weeks?|hours?)\s+(?:later\s+)?(?:and|with)\s+(?:still\s+)?no\s+(?:reply|response|answer|word|fix|update|refund)|(?:takes?|took|taking)\s+(?:\w+\s+)?(?:forever|ages|weeks|days)\s+to\s+(?:reply|respond|answer|get\s+back|fix|process)|(?:keep|kept)\s+(?:getting\s+)?(?:transferred|passed\s+around|bounced))`,
      ),
      unless: [guard(String.raw`\b(?:can't|cannot|cant)\s+wait\b`)],
    },
    {
      // Counting the days ("day 9 of waiting"), the queue ("hold time is 2 hours"), how long a reply
      // took, being ignored, silence after writing, hold music.
      re: rx(
        String.raw`\b(?:day\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+of\s+(?:waiting|chasing|trying\s+to\s+(?:get|reach)|no\s+(?:reply|response|answer|internet|signal|service|callback))|(?:hold|queue|waiting|wait)\s+times?\s*(?:(?:\S+\s+){0,5}?(?:is|are|was|says|of|at)\s+)?:?\s*(?:currently\s+|now\s+|still\s+)?(?:over\s+|nearly\s+|almost\s+)?(?:\d+\s*(?:hours?|hrs?)|[1-9]\d+\s*(?:minutes|mins))|(?:took|takes|taking)\s+(?:them|him|her|you|it|\w+(?:\s+\w+)?)\s+(?:over\s+|nearly\s+|almost\s+|more\s+than\s+)?(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|a\s+full)\s+(?:\w+\s+)?(?:hours?|days?|weeks?|months?|fortnight)\s+to\s+(?:reply|respond|answer|get\s+back|call\s+(?:me\s+)?back|acknowledge|fix|process|refund|sort)|(?:been\s+|being\s+)?ignored\s+by\s+(?:their|the|your|its|\w+)|not\s+(?:a\s+)?(?:single\s+)?(?:word|reply|response|peep|squeak)\s+(?:back|since|yet)|no\s+(?:acknowledge?ment|reply|response|answer)\s+(?:whatsoever|at\s+all)|(?:minutes|hours?|an\s+hour)\s+(?:of\s+)?listening\s+to\s+(?:\S+\s+){0,3}?(?:hold\s+music|jingle|music|tune)|listening\s+to\s+(?:\S+\s+){0,2}hold\s+music)`,
      ),
      unless: [guard(String.raw`\b(?:can't|cannot|cant)\s+wait\b`)],
    },
  ],
  churn_intent: [
    {
      re: rx(
        String.raw`\b(?:(?:cancel|cancell?ing|cancell?ed|ended|terminate|terminating|close|closing|closed|end|ending|quit|quitting)\s+(?:my|our|the)\s+(?:\w+\s+)?(?:contract|subscription|account|membership|plan|service|policy|broadband|sub)|port(?:ing)?\s+(?:my|our)\s+(?:\w+\s+)?number|(?:switch|switching|moving|move|going|go|leaving|leave|jumping\s+ship|jump\s+ship)\s+(?:over\s+)?to\s+(?:a\s+)?(?:another|different|other|competitor|rival|new)\s+(?:provider|carrier|network|bank|company|isp|operator|insurer|airline|supplier)|(?:switch|switching|moving|going|leaving)\s+(?:over\s+)?to\s+a\s+competitor|(?:taking|take|took)\s+my\s+(?:business|money|custom)\s+elsewhere|(?:i'm|i\s+am|we're|we\s+are)\s+(?:done\s+with|leaving|out\s+of\s+here|switching|cancell?ing)|(?:looking|shopping)\s+(?:for|around\s+for)\s+(?:a\s+)?(?:new|another|different)\s+(?:\w+\s+)?(?:provider|carrier|network|bank|isp|insurer|supplier)|(?:goodbye|bye\s+bye|farewell)\s+(?:to\s+)?[@#]?[A-Z]\w+|(?:thinking\s+(?:about|of)|considering|about\s+to|going\s+to|gonna|will\s+be)\s+(?:cancell?ing|switching|leaving|porting|moving\s+to\s+another)|(?:last|final)\s+(?:month|bill|year)\s+with\s+(?:you|\w+)|unsubscrib(?:e|ed|ing)\s+from\s+(?:your|their|the)\s+(?:service|plan))`,
      ),
      unless: [
        guard(String.raw`\b(?:can't|cannot|cant)\s+wait\s+to\s+(?:switch|move|upgrade)\b`),
        guard(String.raw`\bto\s+(?:the\s+)?new\s+(?:plan|tariff|bundle|package|app|phone|version|deal)\b`),
        guard(
          String.raw`\b(?:never|won't|wouldn't|not)\s+(?:be\s+)?(?:leaving|switching|cancell?ing|leave|switch|cancel)\b`,
        ),
        guard(
          String.raw`\b(?:cancel(?:led|ed)?\s+(?:my\s+)?(?:order|flight|booking|appointment|reservation))\b`,
        ),
      ],
      negatable: true,
    },
    {
      // A named competitor ("switching to Vodafone"): capitals matter here, so this rule is case-sensitive.
      re: /\b(?:[Ss]witch(?:ing)?|[Mm]oving|[Gg]oing|[Ll]eaving|[Jj]umping\s+ship)\s+(?:over\s+)?to\s+[A-Z][\w&]+\b(?!\s+(?:plan|tariff|bundle|package|app|mode|version|update|setting))/gu,
      unless: [
        guard(
          String.raw`\b(?:best|glad|happy|good)\b[^.!?]*\bswitching\b|\b(?:since|after)\s+switching\b|\bwas\s+switching\b`,
        ),
        guard(String.raw`\b(?:can't|cannot|cant)\s+wait\s+to\s+(?:switch|move)\b`),
      ],
      negatable: true,
    },
    {
      // Moving a product to another company, PAC codes, not renewing, unsubscribing from a paid service.
      re: rx(
        String.raw`\b(?:(?:moving|move|moved|transferring|transfer|transferred|taking|switching)\s+(?:my|our)\s+(?:\w+\s+){0,2}?(?:over\s+)?to\s+(?:a|an|another|different|other|the)\s+(?:\w+\s+){0,2}?(?:bank|building\s+society|credit\s+union|provider|carrier|network|company|isp|operator|insurer|airline|supplier|lender)|(?:request(?:ed|ing)?|got|asked\s+for)\s+(?:my|a|our)\s+(?:pac|stac|porting)\s+code|(?:not|won't\s+be|will\s+not\s+be|am\s+not|i'm\s+not)\s+renewing|won't\s+be\s+getting\s+my\s+(?:renewal|business|money)|unsubscrib(?:e|ed|ing)\s+from\s+(?:\S+\s+){0,2}?(?:service|plan|package|subscription|tariff|streaming|membership|broadband|bundle)|(?:^|[.!?]\s*)done\s+with\s+(?:them|you|this\s+company)\b)`,
      ),
      unless: [
        guard(String.raw`\b(?:newsletter|marketing|emails?|mailing\s+list|notifications?)\b`),
        guard(String.raw`\bto\s+(?:the\s+)?new\s+(?:plan|tariff|bundle|package|app|phone|version|deal)\b`),
      ],
    },
    {
      // "Leaving Acme Energy for a community supplier": a capitalised name, then "for" another one.
      re: /\b(?:[Ll]eaving|[Ll]eft|[Dd]itching|[Dd]itched|[Dd]umping|[Dd]umped|[Qq]uitting)\s+[A-Z][\w&'-]+(?:\s+[A-Z][\w&'-]+){0,2}\s+for\s+(?:a|an|the|another)\s+/gu,
    },
  ],
  advice_elsewhere: [
    {
      re: rx(
        String.raw`\b(?:i(?:'ve)?\s+(?:heard|read|saw|seen)\s+(?:somewhere|online|on\s+(?:reddit|twitter|facebook|tiktok|a\s+forum|the\s+news|youtube|x)|(?:in|on)\s+(?:a|an|some)\s+(?:\w+\s+)?(?:forum|thread|post|article|blog|video|group)|from\s+(?:a|my|some)\s+\w+|(?:a\s+)?rumou?rs?|people\s+say|that\s+(?:they|you|\w+\s+(?:is|are|will|was|has|have)))|some(?:one|body)\s+(?:on|in)\s+(?:\w+\s+){0,2}(?:reddit|twitter|facebook|tiktok|forum|thread|group|discord|youtube|instagram|x)\s+(?:said|says|posted|claims?|told)|(?:a|my)\s+(?:friend|mate|colleague|neighbou?r|cousin|brother|sister|coworker|uncle|aunt|dad|mum|mom|boss|partner|brother-in-law|sister-in-law|father-in-law|mother-in-law)\s+(?:told\s+me|said|says|reckons|swears|claims)|(?:rumou?r|word)\s+(?:has\s+it|is|on\s+the\s+street)|(?:apparently|supposedly|allegedly),?\s+(?:you|they|the|your|\w+(?:\s+\w+){0,2}\s+(?:is|are|will|has|have|was|were|won't|isn't|doesn't))|rumou?rs?\s+(?:are|is|say|says|suggest|suggests)\s+(?:that\s+)?\w+|(?:i\s+)?saw\s+(?:a|an|this|some)\s+(?:\w+\s+)?(?:post|video|tiktok|thread|tweet|article|reel|comment)\s+(?:saying|claiming|that\s+says|suggesting|about\s+how)|(?:^|[.!?]\s*)(?:read|heard|saw)\s+(?:on|in)\s+(?:a|an|the|some)\s+(?:\w+\s+){0,2}(?:forum|thread|post|group|article|blog|video|subreddit)\s+that|according\s+to\s+(?:a|some|this|my)\s+(?:\w+\s+)?(?:post|thread|video|tiktok|forum|friend|article|blog)|(?:people|everyone|everybody|folks)\s+(?:on|in)\s+(?:the\s+|my\s+|our\s+|a\s+)?(?:[\w-]+\s+){0,3}?(?:reddit|twitter|forums?|facebook(?:\s+group)?|tiktok|groups?|whatsapp(?:\s+group)?|chat)\s+(?:are\s+|is\s+)?(?:say(?:ing|s)?|recommend(?:ing|s)?|claim(?:ing|s)?|posting))`,
      ),
      unless: [
        guard(String.raw`\b(?:heard|got)\s+back\s+from\b`),
        guard(String.raw`\bread\s+(?:the|your)\s+(?:manual|faq|guide|terms|instructions|reply|email)\b`),
      ],
    },
  ],
  questioning: [
    {
      re: rx(
        String.raw`\b(?:why\s+(?:did|do|does|would|are|is|have|has|on\s+earth\s+(?:did|do|does|are|is)|the\s+hell\s+(?:did|do|does|are|is)|am\s+i|was\s+i)\s+(?:you|they|i|my|your|the|it|we|\w+)\b[^.!?]{0,60}(?:charg|fee|bill|price|pay|rais|increas|chang|polic|contract|terms|cancel|block|clos|restrict|remov|cut|drop|need|requir|sell|shar|hik|penal|limit|lock|deny|denied|refus)|hidden\s+(?:fees?|charges?|costs?)|(?:what|wtf)\s+(?:is|are|'s)\s+(?:this|these|that)\s+(?:\S+\s+){0,3}(?:fees?|charges?|surcharges?)|(?:how|in\s+what\s+world)\s+is\s+(?:this|that|it)\s+(?:fair|legal|allowed|ok|okay|reasonable|acceptable)|is\s+(?:this|that|it)\s+(?:even\s+)?(?:legal|fair|allowed)\b|(?:explain|justify)\s+(?:this|these|that|the|your|why|how)\s*(?:\w+\s+)?(?:fee|charge|price|increase|hike|policy|change|decision|terms)?|(?:small|fine)\s+print|(?:who|which\s+genius)\s+(?:decided|thought|approved)|(?:your|the|this|these|new)\s+(?:\w+\s+)?(?:policy|policies|terms(?:\s+and\s+conditions)?|t&cs?|contract\s+terms|fees?|price\s+(?:hike|rise|increase))\s+(?:make\s+no\s+sense|(?:is|are)\s+(?:a\s+)?(?:joke|absurd|ridiculous|unfair|insane|daylight\s+robbery|predatory|shady|a\s+scam))|makes?\s+no\s+sense|(?:doesn't|does\s+not)\s+make\s+(?:any\s+)?sense)`,
      ),
      unless: [
        guard(String.raw`\bthanks?\s+(?:you\s+)?for\s+explaining\b`),
        guard(String.raw`\bwhy\s+(?:did|do)n?'?t?\s+i\s+(?:switch|join|do\s+this)\s+sooner\b`),
      ],
    },
  ],
  security_fraud: [
    {
      re: rx(
        String.raw`\b(?:data\s+(?:breach|leak|leaks|leaked|theft|exposure)|(?:breach|leak)\s+of\s+(?:my|our|customer|personal)|(?:leaked|exposed|stolen|sold|compromised)\s+(?:my|our|customer|customers'?|user|users'?|personal)\s+(?:\w+\s+)?(?:data|details|information|info|passwords?|emails?|card|cards|identity|addresses)|(?:my|our)\s+(?:\w+\s+)?(?:data|details|information|account|card|password|email)\s+(?:was|were|got|has\s+been|have\s+been)\s+(?:\w+\s+)?(?:leaked|stolen|hacked|compromised|exposed|breached|sold)|fraud(?:ulent|sters?)?|scam(?:s|med|mers?|my)?|phishing|smishing|hack(?:ed|ers?|ing)\b(?!\s*(?:athon|news))|(?:charged|billed|debited)\s+(?:me\s+)?(?:twice|double|two\s+times|three\s+times)|double[-\s](?:charged|billed|charge|billing)|unauthori[sz]ed\s+(?:charges?|transactions?|payments?|access|debits?|purchases?|login|sign[-\s]?in)|identity\s+theft|stole\s+my\s+(?:identity|card|data|details|money)|sim[-\s]swap(?:ped|ping)?|account\s+(?:was\s+|got\s+|has\s+been\s+)?(?:taken\s+over|compromised|breached)|money\s+(?:was\s+)?(?:taken|stolen|missing)\s+from\s+my\s+account)`,
      ),
      unless: [
        guard(String.raw`\blife\s*hacks?\b`),
        guard(String.raw`\b(?:not|isn't|wasn't|no)\s+(?:a\s+)?scam\b`),
        guard(String.raw`\bhack(?:ed)?\s+(?:together|away|it\s+out)\b`),
        guard(String.raw`\bhackathon|growth\s+hack`),
        guard(String.raw`\bfraud\s+(?:team|department|prevention|alerts?)\b|\bhacked\s+(?:\w+\s+)?prices?\b`),
      ],
    },
  ],
  backlash: [
    {
      re: rx(
        String.raw`(?:\b(?:boycott(?:ing|ed)?|tone[-\s]deaf|deeply\s+offensive|so\s+offensive|really\s+offensive|offensive\s+(?:ad|advert|campaign|post|tweet|joke|comment|remark|commercial)|(?:this|that|your|the)\s+(?:\w+\s+)?(?:ad|advert|campaign|post|tweet|commercial)\s+(?:is|was)\s+(?:\w+\s+)?(?:offensive|disgusting|racist|sexist|vile|tasteless|insulting|disgraceful)|racist|sexist|homophobic|transphobic|misogynist(?:ic)?|shame\s+on\s+you|should\s+be\s+ashamed|(?:pull|take\s+down|delete)\s+(?:this|that|the|your)\s+(?:ad|advert|campaign|post|tweet)|sign\s+the\s+petition|petition\s+(?:to|against)|protest(?:ing|ers?)?\s+(?:outside|at|against)|(?:never|won't)\s+(?:be\s+)?support(?:ing)?\s+(?:you|them|this\s+brand)\s+again|outrage(?:d|ous)?\s+(?:at|by|over)|disgusting\s+(?:behaviou?r|treatment|ad|campaign|response))\b|#(?:boycott|ban|shameon|delete|stop|dump|ditch)\w+|#\w+fail\b|#\w*(?:out|shame|sucks)\b)`,
      ),
      unless: [
        guard(String.raw`\bnot\s+(?:at\s+all\s+)?offensive\b`),
        guard(String.raw`\boffensive\s+(?:line|play|coordinator|rebound|midfielder)\b`),
      ],
    },
  ],
  praise: [
    {
      re: rx(
        String.raw`\b(?:(?:great|excellent|amazing|fantastic|brilliant|outstanding|superb|awesome|wonderful|top[-\s]notch|stellar|exceptional|first[-\s]class|incredible|lovely|fab|perfect)\s+(?:\w+\s+)?(?:service|support|customer\s+service|job|work|experience|product|coverage|team|app|value|help|staff|speeds?|signal|connection|deal|quality)|(?:love|loving|loved|adore)\s+(?:my\s+new|my|the\s+new|this|the|your|you\s+guys|you|it|their)\b|(?:huge|big|many|massive)\s+thanks|thank(?:s|\s+you)\s+(?:so\s+much\s+|again\s+)?(?:to\s+\w+\s+|[@#]?\w+\s+(?=for\b))?(?:for\s+(?!nothing)\w+|@\w+|so\s+much)|(?:really\s+|so\s+|very\s+|super\s+)?(?:happy|pleased|chuffed|satisfied|delighted)\s+with\s+(?:my|the|our|your|their|how)\b|(?:massive|huge|big|great|full)\s+credit\s+to|(?:were|was|is|are)\s+(?:an?\s+)?(?:absolute\s+)?(?:delight|stars?|legends?|gems?)\b|(?:service|support|coverage|signal|staff|app|team|crew|wifi|broadband)\s+(?:[\w']+\s+){0,4}?(?:is|was|are|were|has\s+been)\s+(?:\w+\s+)?(?:superb|excellent|brilliant|fantastic|outstanding|amazing|spot\s+on)\b|(?:is|are)\s+(?:simply\s+|by\s+far\s+|honestly\s+)?the\s+best(?=\s*[.!]|\s*$)|top\s+(?:service|job|work)|(?:really|so|very|super)\s+(?:good|helpful|straightforward|smooth|painless|quick|easy)\b|(?:was|were|is|went)\s+(?:\w+\s+)?(?:painless|smooth|seamless|straightforward|flawless)|works\s+(?:great|perfectly|brilliantly|flawlessly)|(?:no\s+waiting|didn't\s+(?:have\s+to\s+)?wait)\s+(?:at\s+all|around)|(?:replied|heard\s+back|answered|responded|sorted|fixed)\s+(?:\w+\s+){0,2}(?:within|in)\s+(?:\w+\s+)?(?:minutes|an\s+hour|the\s+hour|\d+\s+min)|nice\s+touch|(?:highly|definitely|100%|totally|would)\s+recommend|kudos|shout[-\s]?out\s+to|hats\s+off\s+to|well\s+done|(?:you|u)\s+(?:guys\s+)?(?:rock|are\s+the\s+best|nailed\s+it)|(?:five|5)\s+stars|10\s*\/\s*10|impressed\s+(?:with|by)|keep\s+(?:it\s+)?up\s+the\s+good\s+work|(?:fixed|sorted|resolved|solved)\s+(?:\w+\s+){0,3}(?:in\s+(?:minutes|seconds|no\s+time)|quickly|fast|straight\s+away|right\s+away|same\s+day)|best\s+(?:\w+\s+)?(?:provider|service|support|decision|network|bank|app|company|customer\s+service|experience|purchase))`,
      ),
      unless: [
        guard(String.raw`\bthanks?\s+(?:you\s+)?for\s+nothing\b`),
        // Polite thanks for a reply or an explanation is not praise, least of all before a "but".
        guard(
          String.raw`\bthanks?\s+(?:you\s+)?for\s+(?:explaining|clarifying|the\s+(?:reply|response|update|info)|your\s+(?:reply|response))\b(?![^.!?]*\b(?:clearly|so\s+well|patiently|brilliantly|quickly))`,
        ),
        guard(String.raw`\bwould\s+love\s+(?:it|to)\b`),
        guard(
          String.raw`\b(?:used\s+to|would\s+not|wouldn't|would\s+never|can't|cannot|don't|do\s+not)\s+(?:\w+\s+)?(?:love|recommend)\b`,
        ),
        guard(
          String.raw`\b(?:great|brilliant|fantastic|amazing|awesome|love\s+it),?\s+(?:another|more|yet\s+another)\b`,
        ),
        guard(
          String.raw`\b(?:best\s+of\s+luck|not\s+(?:impressed|great|amazing)|love\s+how\s+(?:you|they|it)\s+(?:never|always|keep))\b`,
        ),
        guard(
          String.raw`\b(?:love|loving|great)\s+(?:\w+\s+){0,3}(?:waiting|being\s+ignored|hold\s+music|paying\s+(?:more|twice))\b`,
        ),
      ],
      negatable: true,
    },
  ],
  question: [
    {
      re: rx(
        String.raw`\b(?:(?:can|could|would|will)\s+(?:you|someone|anyone|somebody|any\s*one)\s+(?:please\s+)?(?:help|tell|explain|advise|check|look|let\s+me\s+know|confirm|assist|dm|send)|how\s+(?:do|can|should|would)\s+i\b|(?:does|do)\s+(?:anyone|anybody|someone|any\s+of\s+you)\s+know|any\s+(?:updates?|news)\b[^.!]{0,30}\?|is\s+(?:that|this|it)\s+(?:true|right|correct)\s*\?|is\s+my\s+\w+\s+(?:safe|secure)\b|is\s+there\s+(?:a|an|any)\s+(?:\w+\s+)?(?:breach|issue|fault|way|option|setting|number|fix|workaround|update|outage|problem)\b|what\s+(?:should|do|can)\s+i\s+do|any\s+(?:idea|ideas|advice|tips|help|suggestions)\b[^.!]{0,80}\?|(?:need|needs|needing)\s+(?:some\s+)?help\b|help\s+(?:me|please|pls|plz|needed)\b|where\s+(?:can|do|should)\s+i\b|who\s+(?:do|should|can)\s+i\s+(?:contact|call|speak|talk|ask)|when\s+will\s+(?:my|the|it|you)\b[^.!]{0,60}\?|(?:is|are)\s+(?:the|your)\s+(?:\w+\s+)?(?:down|working|out)\s+(?:in|for|right\s+now|today)?[^.!]{0,30}\?)`,
      ),
      unless: [guard(String.raw`\bwho\s+even\s+uses\b`), guard(String.raw`\bexplain\s+why\b`)],
    },
  ],
};

const SENTENCE_END = /[.!?\n]/;

function sentenceAround(text: string, start: number, end: number): string {
  let s = start;
  while (s > 0 && !SENTENCE_END.test(text[s - 1] as string)) s--;
  let e = end;
  while (e < text.length && !SENTENCE_END.test(text[e] as string)) e++;
  return text.slice(s, Math.min(text.length, e + 1));
}

/**
 * Finds every signal in a text. At most one signal per kind: the first match that no guard cancels,
 * with its span. Never throws.
 */
export function detectSignals(text: string): Signal[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  // Curly quotes and apostrophes are written both ways; spans stay valid (same length).
  const t = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const normalized = t.replace(/[’‘]/g, "'");
  const out: Signal[] = [];
  for (const [kind, rules] of Object.entries(RULES) as [SignalKind, Rule[]][]) {
    let found: Signal | undefined;
    for (const rule of rules) {
      rule.re.lastIndex = 0;
      for (const m of normalized.matchAll(rule.re)) {
        const start = m.index ?? 0;
        const end = start + m[0].length;
        const sentence = sentenceAround(normalized, start, end);
        if (rule.unless?.some((u) => u.test(sentence))) continue;
        if (rule.negatable && NEG_BEFORE.test(normalized.slice(Math.max(0, start - 30), start))) continue;
        found = { kind, evidence: t.slice(start, end), start, end };
        break;
      }
      if (found) break;
    }
    if (found) out.push(found);
  }
  return out;
}
