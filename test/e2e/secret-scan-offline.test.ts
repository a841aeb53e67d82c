import { secretScanSuite } from '../helpers/secret-scan-suite.js';

// sign, verify, init, config: every mode, keys from the environment and from a stored profile.
secretScanSuite('offline');
