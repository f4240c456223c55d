import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseExposition, sampleSum, scrapeExposition, waitUntil, type ExpositionSample } from '@bizmetrics/test-support';
import { buildShop, startTestShop, type ShopUnderTest } from '../support/shopHarness';

const repoRoot = path.join(__dirname, '../../../..');
const screenshots = path.join(repoRoot, 'artifacts/screenshots');

/** Polls the shop's /metrics until `check` passes (the browser's engagement batches arrive within ~2 s). */
async function scrapeUntil(shop: ShopUnderTest, check: (scrape: ExpositionSample[]) => boolean, timeoutMs = 15_000): Promise<ExpositionSample[]> {
  return waitUntil(
    async () => {
      const scrape = await scrapeExposition(`${shop.url}/metrics`);
      return check(scrape) ? scrape : undefined;
    },
    { timeoutMs, intervalMs: 250, description: 'the engagement batches on /metrics' },
  );
}

describe('a purchase in a real browser', () => {
  let shop: ShopUnderTest;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const build = buildShop('browser-test');
    mkdirSync(screenshots, { recursive: true });
    shop = await startTestShop({ publicDir: path.join(build, 'public') });
    // No skip: if chromium cannot start, this throws and the test fails loudly.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await shop?.stop();
  });

  it('buys two products, then finds the order and the funnel on /metrics; the dashboard reports engagement', async () => {
    await page.goto(`${shop.url}/?utm_source=e2e_test&utm_medium=email`);
    await page.getByTestId('add-bk-ddia').click();
    await page.getByTestId('add-el-kbd').click();
    await page.getByTestId('cart-count').filter({ hasText: '2' }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'shop.png') });

    await page.getByTestId('nav-cart').click();
    await page.getByTestId('cart-total').filter({ hasText: '$174.99' }).waitFor();
    await page.getByTestId('checkout').click();

    const shipping = page.getByTestId('shipping-form');
    await shipping.locator('input[name=name]').fill('Grace Hopper');
    await shipping.locator('input[name=street]').fill('1 Compiler Way');
    await shipping.locator('input[name=city]').fill('Berlin');
    await shipping.locator('input[name=postalCode]').fill('10115');
    await shipping.locator('select[name=country]').selectOption('DE');
    await shipping.locator('button').click();

    const payment = page.getByTestId('payment-form');
    await payment.locator('input[name=cardNumber]').fill('4242 4242 4242 4242');
    await payment.locator('button').click();
    await page.getByTestId('review').waitFor();
    await page.getByTestId('place-order').click();
    const orderId = await page.getByTestId('order-id').textContent();
    expect(orderId).toMatch(/^ord_[0-9a-f]{12}$/);

    // The order, as the guide's revenue counter has it: 4599 + 12900 cents, the larger line's category, the shipping country's region.
    const scrape = parseExposition(await shop.metrics.getMetrics());
    expect(sampleSum(scrape, 'business_revenue_cents_total', { product_category: 'electronics', payment_method: 'card', region: 'europe' })).toBe(17499);
    for (const step of ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed']) {
      expect(sampleSum(scrape, 'business_funnel_step_total', { step, source: 'e2e_test', device_type: 'desktop' })).toBe(1);
    }
    expect(sampleSum(scrape, 'business_funnel_step_total', { step: 'checkout_error' })).toBe(0);

    // The dashboard page (the guide's DashboardPage): first chart → milestone, export → feature usage.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('orders-count').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('add-chart').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('export').click();
    expect((await download).suggestedFilename()).toBe('orders.csv');
    await page.getByTestId('chart').first().waitFor();
    await page.screenshot({ path: path.join(screenshots, 'dashboard.png') });

    const engagement = await scrapeUntil(
      shop,
      (text) =>
        sampleSum(text, 'business_feature_usage_total', { feature_name: 'dashboard_export', user_tier: 'pro' }) === 1 &&
        sampleSum(text, 'business_funnel_step_total', { step: 'milestone_first_chart_created' }) === 1,
    );
    expect(sampleSum(engagement, 'business_feature_usage_total', { feature_name: 'dashboard_export', user_tier: 'pro', is_new_user: 'false' })).toBe(1);
    expect(sampleSum(engagement, 'business_funnel_step_total', { step: 'milestone_first_chart_created', source: 'in_app' })).toBe(1);
    // The served /metrics (the adapter's metricsHandler) carries the same order.
    expect(sampleSum(engagement, 'business_revenue_cents_total', { region: 'europe' })).toBe(17499);
  }, 60_000);
});

