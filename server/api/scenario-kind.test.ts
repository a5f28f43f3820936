/** Every library scenario named by the search list and the group view on the SQLite store (testing/scenario-kind-suite.ts). */
import { describeScenarioKinds } from '../testing/scenario-kind-suite.ts';

describeScenarioKinds('SQLite', () => ({}));
