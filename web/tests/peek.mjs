// Development aid: viewport screenshots of a page, slice by slice, into /tmp/peek.
// node tests/peek.mjs /path WIDTH HEIGHT SLICES [officer-name] [after-js]
import { DESKTOP, newPage, startBrowser, startLedger } from './harness.mjs';
const [path = '/', w = DESKTOP.width, hgt = DESKTOP.height, slices = 3, officer = '', extra = ''] = process.argv.slice(2);
const ledger = await startLedger({ permits: 60 });
const browser = await startBrowser();
try {
  const page = await newPage(browser, { width: Number(w), height: Number(hgt) });
  await page.goto(ledger.base + path.replace('CODE', Object.values(ledger.tokens.tracking_codes)[3]));
  await page.waitForSelector('body[data-ready="true"]');
  if (officer) {
    await page.fill('#token', ledger.tokens.officers[officer]);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#officer-bar');
  }
  if (extra) await page.evaluate(extra);
  await page.waitForTimeout(500);
  for (let i = 0; i < Number(slices); i++) {
    await page.evaluate((y) => window.scrollTo(0, y), i * Number(hgt));
    await page.waitForTimeout(150);
    await page.screenshot({ path: `/tmp/peek/${i}.png` });
  }
  console.log(page.problems);
} finally {
  await browser.close();
  await ledger.stop();
}
