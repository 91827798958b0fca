/** Placeholder page until the playground views land. */
export function App() {
  return (
    <main className="app">
      <h1>Fanout</h1>
      <p>
        Run the same orders through a synchronous request chain and through event fan-out, break a
        service on purpose, and watch what happens on each side.
      </p>
    </main>
  );
}
