import { renderPage, watchScope } from '../layout.tsx';
import type { DashboardRouter } from '../router.tsx';

/** Overview of one watch: reputation, sentiment, volume, share of voice, red flags, terms, ratings. */
export function overviewPage(r: DashboardRouter): void {
  const { deps } = r;
  r.page('/', async (c) => {
    const scope = await watchScope(c, deps);
    return renderPage(
      c,
      deps,
      { title: scope.current ? `${scope.current.name} overview` : 'Overview', nav: 'overview' },
      <p>Overview</p>,
    );
  });
}
