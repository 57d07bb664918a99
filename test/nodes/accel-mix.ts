import { mixNode } from './_mix.js';

export default mixNode('TestAccelMix', 'accelerator');
