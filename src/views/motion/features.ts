/** The animation features framer-motion loads after first paint (LazyMotion): not in the initial bundle. */
export { domAnimation as default } from 'framer-motion';
