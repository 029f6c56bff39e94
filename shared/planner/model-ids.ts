import type { ReverseGraph } from './reverse-graph';
import type { PlannerComponent, PlannerModel } from './types';

const memo = new WeakMap<PlannerModel, WeakMap<ReverseGraph, (PlannerComponent | null | undefined)[]>>();

/**
 * The model's component behind a graph id, or undefined when the source is not a component. Each id is
 * looked up in the model once per model and graph (a model is not changed, like a view), so the walk over a
 * root package's closure asks the model's name map nothing after the first plan.
 */
export function componentsById(
  model: PlannerModel,
  graph: ReverseGraph,
): (id: number) => PlannerComponent | undefined {
  let byGraph = memo.get(model);
  if (!byGraph) {
    byGraph = new WeakMap();
    memo.set(model, byGraph);
  }
  let table = byGraph.get(graph);
  if (!table) {
    table = [];
    byGraph.set(graph, table);
  }
  const known = table;
  return (id) => {
    // Grown by pushes, so the array stays dense however the ids come.
    while (known.length <= id) known.push(undefined);
    let component = known[id];
    if (component === undefined) {
      component = model.components.get(graph.nameOf(id)) ?? null;
      known[id] = component;
    }
    return component ?? undefined;
  };
}
