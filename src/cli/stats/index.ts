import type { StatsAnalysis } from './analysis';
import { analysis as roc } from './roc';
import { analysis as delong } from './delong';
import { analysis as metrics } from './metrics';
import { analysis as logistic } from './logistic';
import { analysis as hl } from './hl';
import { analysis as calibration } from './calibration';
import { analysis as dca } from './dca';
import { analysis as icc } from './icc';
import { analysis as correlation } from './correlation';
import { analysis as lasso } from './lasso';
import { analysis as table1 } from './table1';
import { analysis as km } from './km';
import { analysis as cox } from './cox';
import { analysis as svm } from './svm';

/** Every `radnomo stats <name>` analysis, in the order `radnomo stats --help` lists them. */
export const ANALYSES: StatsAnalysis[] = [roc, delong, metrics, logistic, hl, calibration, dca, icc, correlation, lasso, svm, table1, km, cox];
