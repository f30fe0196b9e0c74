import '../shared/polyfill.js';
