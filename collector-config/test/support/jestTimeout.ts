// Per-project `testTimeout` is not honoured when jest runs several projects (the root config's
// global 30 s wins), so the e2e tests set their long timeout here: they wait for push and scrape
// intervals and a 30 s outage.
jest.setTimeout(180000);
