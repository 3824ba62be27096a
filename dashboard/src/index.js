// Entry point: the dashboard in #app, its charts drawn by Chart.js.
import { start } from './core/app.js';
import { draw } from './core/charts.js';

start(window, document.getElementById('app'), draw);
