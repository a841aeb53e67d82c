import { secretScanSuite } from '../helpers/secret-scan-suite.js';

// send-test, sign-url, replay, and listen with mock delivering to it: every mode, every key.
secretScanSuite('online');
