/**
 * Edit mode's stage: a toolbar (add a service, undo, redo, show events, auto-layout, run)
 * over a canvas of the draft — one box per service where the learner put it (dragged, or
 * moved with the arrow keys from its focused name) or where the editor placed it without
 * overlaps, an arrow per event from the service that emits it to each one that subscribes.
 * With Show events, each event type and topic pattern is a box of its own between them,
 * and lines drawn to and from it declare emits and subscriptions. A problem is written on
 * the box of the service it concerns.
 *
 * Loaded only in Edit mode (with the editor's inspector): not part of the first bundle.
 */
import '@xyflow/react/dist/style.css';
import './editor.css';
import {
  applyNodeChanges,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeChange,
  type NodeProps,
  type NodeTypes,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import { m } from 'framer-motion';
import { type DragEvent, memo, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MAX_SERVICES } from '../../core/scenario';
import { usePlaygroundApi } from '../../store/context';
import {
  bindingOfNode,
  type Draft,
  eventLinks,
  eventNodeId,
  eventNodeLinks,
  eventTypes,
  isPattern,
  patterns,
} from '../../store/draft';
import {
  EDIT_NODE,
  EVENT_NODE,
  EVENTS_SPREAD,
  eventsViewPositions,
  nearestFree,
  positionsOf,
} from '../../store/editLayout';
import { useEditor } from './useEditor';

type ServiceBox = Node<{ serviceId: string }, 'editService'>;
type EventBox = Node<{ binding: string }, 'editEvent'>;
type EditNode = ServiceBox | EventBox;

/** One arrow key press moves a box this far (canvas units); with Shift, five times as far. */
const GRID = 20;
const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** One service box. Selects its own data, so an edit elsewhere does not re-render it. */
const EditServiceNode = memo(function EditServiceNode({ data }: NodeProps<ServiceBox>) {
  const pg = usePlaygroundApi();
  const id = data.serviceId;
  const svc = useEditor((s) => s.draft.services.find((x) => x.id === id));
  const entry = useEditor((s) => s.draft.entry === id);
  const selected = useEditor((s) => s.selected === id);
  const problems = useEditor(
    useShallow((s) => s.problems.filter((p) => p.service === id).map((p) => p.text)),
  );
  const problemsId = useId();
  if (!svc) return null;
  const name = svc.name || svc.id;
  return (
    <div
      className={`edit-node${selected ? ' selected' : ''}${problems.length > 0 ? ' has-problems' : ''}`}
      data-service={id}
    >
      <Handle type="target" position={Position.Left} className="edit-handle" />
      <button
        type="button"
        className="edit-node-name"
        aria-pressed={selected}
        aria-describedby={problems.length > 0 ? problemsId : undefined}
        aria-keyshortcuts="ArrowUp ArrowDown ArrowLeft ArrowRight Shift+ArrowUp Shift+ArrowDown Shift+ArrowLeft Shift+ArrowRight"
        title="Choose it to change its settings; arrow keys move it (with Shift, further)"
        onClick={() => {
          pg.editor.select(id);
          pg.ui.setPanelOpen(true);
        }}
        onKeyDown={(e) => {
          const way = ARROWS[e.key];
          if (!way || e.altKey || e.ctrlKey || e.metaKey) return;
          e.preventDefault();
          const step = e.shiftKey ? GRID * 5 : GRID;
          pg.editor.select(id);
          pg.editor.nudgeService(id, way[0] * step, way[1] * step);
        }}
      >
        {name}
      </button>
      {entry && <span className="edit-badge">users call this</span>}
      <p className="edit-node-line">
        <span className="muted">emits</span> {(svc.emits ?? []).join(', ') || '—'}
      </p>
      <p className="edit-node-line">
        <span className="muted">subscribes</span> {(svc.subscribes ?? []).join(', ') || '—'}
      </p>
      {problems.length > 0 && (
        <m.ul
          id={problemsId}
          className="edit-node-problems"
          aria-label={`Problems of ${name}`}
          initial={{ opacity: 0, y: -4 }}
          animate={{ opacity: 1, y: 0 }}
        >
          {problems.map((text) => (
            <li key={text}>
              <span aria-hidden="true">⚠ </span>
              {text}
            </li>
          ))}
        </m.ul>
      )}
      {/* Drag from here to another service: it subscribes to an event this one emits. */}
      <Handle
        type="source"
        position={Position.Right}
        className="edit-handle"
        title="Drag to another service: it subscribes to an event this one emits"
      />
    </div>
  );
});

/**
 * An event type or topic pattern (events shown as nodes): a line drawn from a service to it
 * makes the service emit it; a line from it to a service subscribes the service.
 */
const EditEventNode = memo(function EditEventNode({ data }: NodeProps<EventBox>) {
  const pattern = isPattern(data.binding);
  return (
    <div className={`edit-event${pattern ? ' pattern' : ''}`} data-binding={data.binding}>
      <Handle type="target" position={Position.Left} className="edit-handle" />
      <span className="edit-event-kind">{pattern ? 'topic pattern' : 'event'}</span>
      <span className="edit-event-name">{data.binding}</span>
      <Handle
        type="source"
        position={Position.Right}
        className="edit-handle"
        title={`Drag to a service: it subscribes to ${data.binding}`}
      />
    </div>
  );
});

// Built once: a new object per render would make React Flow re-create every node.
const nodeTypes: NodeTypes = { editService: EditServiceNode, editEvent: EditEventNode };
const FIT = { padding: 0.15, maxZoom: 1 };

function nodesOf(d: Draft, events: boolean): EditNode[] {
  const at = events ? eventsViewPositions(d) : positionsOf(d);
  const services: EditNode[] = d.services.map((svc) => ({
    id: svc.id,
    type: 'editService',
    position: at.get(svc.id) ?? { x: 0, y: 0 },
    width: EDIT_NODE.width,
    data: { serviceId: svc.id },
    ariaRole: 'group',
    ariaLabel: `${svc.name || svc.id} (service)`,
  }));
  if (!events) return services;
  const boxes: EditNode[] = [...eventTypes(d), ...patterns(d)].map((binding) => {
    const id = eventNodeId(binding);
    return {
      id,
      type: 'editEvent',
      position: at.get(id) ?? { x: 0, y: 0 },
      width: EVENT_NODE.width,
      // Placed by the editor: the learner arranges services, events follow them.
      draggable: false,
      data: { binding },
      ariaRole: 'group',
      ariaLabel: eventLabel(d, binding),
    };
  });
  return [...services, ...boxes];
}

/** What a screen reader hears for an event box: what it is, who emits it, who hears it. */
function eventLabel(d: Draft, binding: string): string {
  const names = (list: typeof d.services) => list.map((s) => s.name || s.id).join(', ') || 'nobody';
  const emitters = d.services.filter((s) => (s.emits ?? []).includes(binding));
  const heard = d.services.filter((s) => (s.subscribes ?? []).includes(binding));
  return isPattern(binding)
    ? `${binding} (topic pattern): heard by ${names(heard)}`
    : `${binding} (event): emitted by ${names(emitters)}; heard by ${names(heard)}`;
}

const LINK_WORDS = { emits: 'emits', subscribes: 'is heard by', matches: 'matches' } as const;

function edgesOf(d: Draft, events: boolean): Edge[] {
  if (events)
    return eventNodeLinks(d).map((l) => ({
      id: `${l.from}>${l.to}`,
      source: l.from,
      target: l.to,
      focusable: false,
      selectable: false,
      className: `edit-link-${l.kind}`,
      ariaLabel: `${bindingOfNode(l.from) ?? l.from} ${LINK_WORDS[l.kind]} ${bindingOfNode(l.to) ?? l.to}`,
      markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
    }));
  return eventLinks(d).map((l) => ({
    id: `${l.from}>${l.to}:${l.type}`,
    source: l.from,
    target: l.to,
    label: l.type,
    focusable: false,
    selectable: false,
    ariaLabel: `${l.from} emits ${l.type}, ${l.to} subscribes`,
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
  }));
}

/** Frame the drawing again when a service is added or removed. */
function FitOnCount({ count }: { count: number }) {
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (count > 0) void fitView(FIT);
  }, [count, fitView]);
  return null;
}

/** What a palette item carries when dragged onto the canvas. */
const DRAG_TYPE = 'application/x-fanout-service';

function EditCanvas() {
  const pg = usePlaygroundApi();
  const { screenToFlowPosition } = useReactFlow();
  const draft = useEditor((s) => s.draft);
  const events = useEditor((s) => s.showEvents);
  // With events as nodes, services are drawn spread across: canvas x = editor x * spread.
  const spread = events ? EVENTS_SPREAD : 1;
  const [nodes, setNodes] = useState<EditNode[]>(() => nodesOf(draft, events));
  // The draft decides where boxes are; while a box is dragged, React Flow moves it here.
  // A box whose place did not change keeps its node object, so React Flow leaves it alone
  // (each box reads its own service from the editor's store).
  useEffect(
    () =>
      setNodes((previous) =>
        nodesOf(draft, events).map((n) => {
          const old = previous.find((p) => p.id === n.id);
          return old &&
            old.position.x === n.position.x &&
            old.position.y === n.position.y &&
            old.ariaLabel === n.ariaLabel
            ? old
            : n;
        }),
      ),
    [draft, events],
  );
  const edges = useMemo(() => edgesOf(draft, events), [draft, events]);
  const onNodesChange = useCallback(
    (changes: NodeChange<EditNode>[]) =>
      setNodes((list) =>
        applyNodeChanges(
          changes.filter((c) => c.type === 'position' || c.type === 'dimensions'),
          list,
        ),
      ),
    [],
  );
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    // Dropped at the pointer: the box's centre goes there, moved down past any box it would cover.
    const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const { draft } = pg.editor.getState();
    pg.editor.addService(
      nearestFree(draft, {
        x: (at.x - EDIT_NODE.width / 2) / spread,
        y: at.y - EDIT_NODE.height / 2,
      }),
    );
    pg.ui.setPanelOpen(true);
  };
  return (
    <div className="architecture-canvas edit-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={(_e, node) =>
          node.type === 'editService' &&
          pg.editor.moveService(node.id, { x: node.position.x / spread, y: node.position.y })
        }
        onDragOver={onDragOver}
        onDrop={onDrop}
        fitView
        fitViewOptions={FIT}
        minZoom={0.2}
        maxZoom={2}
        onConnect={(c) => c.source && c.target && pg.editor.link(c.source, c.target)}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        zoomOnScroll={false}
        zoomOnDoubleClick={false}
        preventScrolling={false}
        colorMode="system"
        aria-label="System editor diagram"
      >
        <Controls
          showInteractive={false}
          position="bottom-left"
          orientation="horizontal"
          fitViewOptions={FIT}
        />
        <FitOnCount count={nodes.length} />
      </ReactFlow>
    </div>
  );
}

function EditToolbar() {
  const pg = usePlaygroundApi();
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const problems = useEditor((s) => s.problems.length);
  const first = useEditor((s) => s.problems[0]?.text ?? '');
  const note = useEditor((s) => s.note);
  const full = useEditor((s) => s.draft.services.length >= MAX_SERVICES);
  const hinted = useEditor((s) => Object.keys(s.draft.layout ?? {}).length > 0);
  const events = useEditor((s) => s.showEvents);
  const reasonId = useId();
  return (
    <div className="edit-toolbar">
      <div role="toolbar" aria-label="Editor" className="edit-toolbar-row">
        <button
          type="button"
          className="button"
          aria-keyshortcuts="A"
          disabled={full}
          // Also a palette item: dragged onto the canvas, the service appears where it is dropped.
          draggable={!full}
          onDragStart={(e) => {
            e.dataTransfer.setData(DRAG_TYPE, 'service');
            e.dataTransfer.effectAllowed = 'copy';
          }}
          title={
            full
              ? `A scenario has at most ${MAX_SERVICES} services`
              : 'Add a service (A), or drag this onto the canvas'
          }
          onClick={() => {
            pg.editor.addService();
            pg.ui.setPanelOpen(true);
          }}
        >
          <span className="icon" aria-hidden="true">
            +
          </span>
          Add service
        </button>
        <button
          type="button"
          className="button"
          aria-keyshortcuts="Control+Z"
          disabled={!canUndo}
          onClick={() => pg.editor.undo()}
        >
          <span className="icon" aria-hidden="true">
            ↶
          </span>
          Undo
        </button>
        <button
          type="button"
          className="button"
          aria-keyshortcuts="Control+Shift+Z Control+Y"
          disabled={!canRedo}
          onClick={() => pg.editor.redo()}
        >
          <span className="icon" aria-hidden="true">
            ↷
          </span>
          Redo
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={events}
          title="Show each event type and topic pattern as a box: draw from a service to an event to emit it, from an event to a service to subscribe it"
          onClick={() => pg.editor.showEvents(!events)}
        >
          Show events
        </button>
        <button
          type="button"
          className="button"
          disabled={!hinted}
          title="Forget dragged positions and place every service in columns, by event hops"
          onClick={() => pg.editor.autoLayout()}
        >
          Auto-layout
        </button>
        <button
          type="button"
          className="button primary"
          disabled={problems > 0}
          aria-describedby={reasonId}
          onClick={() => void pg.editor.run()}
        >
          <span className="icon" aria-hidden="true">
            ▶
          </span>
          Run
        </button>
        <button type="button" className="button" onClick={() => pg.editor.discard()}>
          Discard edits
        </button>
      </div>
      <p id={reasonId} role="status" className={problems > 0 ? 'edit-status bad' : 'edit-status'}>
        {problems > 0
          ? `Cannot run yet: ${problems} problem${problems === 1 ? '' : 's'} to fix (${first}).`
          : 'Ready to run from t = 0 with the same seed.'}
        {note && <span className="edit-note"> {note}</span>}
      </p>
    </div>
  );
}

/** The stage in Edit mode: toolbar and canvas. */
export function EditStage() {
  return (
    <section className="stage-side edit-stage" aria-labelledby="edit-stage-title">
      <div className="stage-head">
        <h2 id="edit-stage-title" className="stage-title">
          Edit mode{' '}
          <span className="stage-subtitle">
            — the run is paused; drag services (or focus one and press the arrow keys) to arrange
            them, pick one to change it
          </span>
        </h2>
      </div>
      <EditToolbar />
      <div className="stage-canvas">
        <ReactFlowProvider>
          <EditCanvas />
        </ReactFlowProvider>
      </div>
    </section>
  );
}
