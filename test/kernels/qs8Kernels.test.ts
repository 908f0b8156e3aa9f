import { defineQs8Suites } from './suites/qs8Suites.js';

defineQs8Suites();
