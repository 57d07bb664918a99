import { mixNode } from './_mix.js';

export default mixNode('TestMix', 'host');
