import { renderPage } from '../layout.tsx';
import type { DashboardRouter } from '../router.tsx';

/** Alerts by state, an alert's detail with observed vs expected, acknowledge and resolve. */
export function alertPages(r: DashboardRouter): void {
  const { deps } = r;
  r.page('/alerts', async (c) => renderPage(c, deps, { title: 'Alerts', nav: 'alerts' }, <p>Alerts</p>));
}
