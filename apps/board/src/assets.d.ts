/** Style sheets imported for their side effect: esbuild bundles them into board.css. */
declare module '*.css';
