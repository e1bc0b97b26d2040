import { loadScenario } from '../lib/loadScenario';

export default loadScenario('csv');
