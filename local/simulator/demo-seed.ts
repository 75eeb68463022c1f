import type { SimulatorSeed } from './seed.js';

export const DEMO_TOKEN = 'demo-token-read-write';
export const DEMO_READONLY_TOKEN = 'demo-token-read-only';

export const DEMO_LEDGERS = {
  netCarbonRemoval: 'lgr_netremoval01',
  biocharProduced: 'lgr_biocharprod1',
  labAnalyses: 'lgr_labanalyses1',
} as const;

const DEMO_MODEL_ID = 'mdl_biocharcrm01';

export const DEMO_REPORTS = {
  /** Submitted: holds Net Carbon Removal's October–December 2024 batches. */
  q4of2024: 'rpt_q42024carbon',
  /** The draft the quarter's batches go into: no batches yet. */
  q1of2025: 'rpt_q12025carbon',
} as const;

/** Data point type ids of the demo's required inputs. */
export const DEMO_INPUT_TYPES = {
  feedstockMass: 1,
  transportDistance: 2,
  pyrolysisTemperature: 3,
  biocharYield: 4,
  pyrolysisEnergy: 5,
  biocharCarbonContent: 6,
} as const;

const US_TON_IN_TONNES = 0.90718474;
const CO2_PER_CARBON = 44 / 12;
// Emission factors: a loaded class-8 diesel truck ≈ 1.7 kg CO2e per mile; grid power ≈ 0.4 kg CO2e per kWh.
const TRUCK_T_CO2E_PER_MILE = 0.0017;
const GRID_T_CO2E_PER_KWH = 0.0004;

const T = DEMO_INPUT_TYPES;

// [type, timestamp, value]: Q1 2025 only, so a window of April 2025 previews 0 batches.
const READINGS: [number, string, number][] = [
  [T.feedstockMass, '2025-01-06T08:15:00Z', 22.5],
  [T.transportDistance, '2025-01-06T08:15:00Z', 38],
  [T.feedstockMass, '2025-01-13T09:40:00Z', 24.0],
  [T.transportDistance, '2025-01-13T09:40:00Z', 42],
  [T.feedstockMass, '2025-01-21T07:55:00Z', 23.2],
  [T.transportDistance, '2025-01-21T07:55:00Z', 40],
  [T.feedstockMass, '2025-01-31T22:30:00Z', 25.1],
  [T.transportDistance, '2025-01-31T22:30:00Z', 45],
  [T.pyrolysisTemperature, '2025-01-10T12:00:00Z', 612],
  [T.pyrolysisTemperature, '2025-01-24T12:00:00Z', 618],
  [T.biocharYield, '2025-01-15T16:00:00Z', 0.26],
  [T.biocharYield, '2025-01-29T16:00:00Z', 0.27],
  [T.pyrolysisEnergy, '2025-01-15T23:00:00Z', 4200],
  [T.pyrolysisEnergy, '2025-01-31T23:00:00Z', 4350],
  [T.biocharCarbonContent, '2025-01-28T10:00:00Z', 78.4],

  [T.feedstockMass, '2025-02-04T08:05:00Z', 21.8],
  [T.transportDistance, '2025-02-04T08:05:00Z', 41],
  [T.feedstockMass, '2025-02-12T10:20:00Z', 23.6],
  [T.transportDistance, '2025-02-12T10:20:00Z', 39],
  [T.feedstockMass, '2025-02-25T08:45:00Z', 24.4],
  [T.transportDistance, '2025-02-25T08:45:00Z', 44],
  [T.pyrolysisTemperature, '2025-02-07T12:00:00Z', 605],
  [T.pyrolysisTemperature, '2025-02-21T12:00:00Z', 621],
  [T.biocharYield, '2025-02-20T16:00:00Z', 0.27],
  [T.pyrolysisEnergy, '2025-02-14T23:00:00Z', 3900],
  [T.pyrolysisEnergy, '2025-02-28T23:00:00Z', 3650],
  [T.biocharCarbonContent, '2025-02-26T10:00:00Z', 80.1],

  [T.feedstockMass, '2025-03-03T07:50:00Z', 25.3],
  [T.transportDistance, '2025-03-03T07:50:00Z', 40],
  [T.feedstockMass, '2025-03-11T09:10:00Z', 22.9],
  [T.transportDistance, '2025-03-11T09:10:00Z', 43],
  [T.feedstockMass, '2025-03-19T08:30:00Z', 24.7],
  [T.transportDistance, '2025-03-19T08:30:00Z', 37],
  [T.feedstockMass, '2025-03-27T10:05:00Z', 23.8],
  [T.transportDistance, '2025-03-27T10:05:00Z', 46],
  [T.pyrolysisTemperature, '2025-03-07T12:00:00Z', 615],
  [T.pyrolysisTemperature, '2025-03-21T12:00:00Z', 609],
  [T.biocharYield, '2025-03-14T16:00:00Z', 0.25],
  [T.biocharYield, '2025-03-28T16:00:00Z', 0.26],
  [T.pyrolysisEnergy, '2025-03-15T23:00:00Z', 4500],
  [T.pyrolysisEnergy, '2025-03-31T23:00:00Z', 4400],
  [T.biocharCarbonContent, '2025-03-27T10:00:00Z', 79.2],
];

// Net Carbon Removal, Jan–Dec 2024, each created early the following month.
const HISTORY_2024 = [58.214, 52.907, 61.388, 63.012, 59.746, 55.131, 57.902, 60.455, 62.318, 64.077, 56.593, 53.862];

/** A biochar project: feedstock deliveries are pyrolysed; the model writes two ledgers at once. */
export function demoSeed(): SimulatorSeed {
  const ledgerTimestamps = { created_at: '2023-11-20T14:30:00.000Z', updated_at: '2024-12-02T09:12:00.000Z' };
  return {
    project: { id: 123, name: 'Riverbend Biochar Carbon Removal', timeZone: 'UTC' },
    dataPointTypes: [
      { id: T.feedstockMass, name: 'Mass of Feedstock Delivery', slug: 'feedstock-delivery-mass', unit: 'U.S. ton', subcategory: 'feedstock' },
      { id: T.transportDistance, name: 'Transport Distance', slug: 'transport-distance', unit: 'mile', subcategory: 'transport' },
      { id: T.pyrolysisTemperature, name: 'Pyrolysis Temperature', slug: 'pyrolysis-temperature', unit: '°C', subcategory: 'pyrolysis' },
      { id: T.biocharYield, name: 'Biochar Yield', slug: 'biochar-yield', unit: 'fraction', subcategory: 'pyrolysis' },
      { id: T.pyrolysisEnergy, name: 'Pyrolysis Energy Use', slug: 'pyrolysis-energy-use', unit: 'kWh', subcategory: 'pyrolysis' },
      {
        id: T.biocharCarbonContent,
        name: 'Biochar Carbon Content',
        slug: 'biochar-carbon-content',
        unit: '%',
        subcategory: 'lab',
        is_manual_select: true,
        output_of_ledgers: [{ id: DEMO_LEDGERS.labAnalyses, name: 'Lab Analyses' }],
      },
    ],
    models: [
      {
        id: DEMO_MODEL_ID,
        name: 'Biochar Carbon Removal Model',
        // Temperature is required (a QA reading) but enters no term.
        inputTypeIds: Object.values(T),
        outputs: [
          {
            ledgerId: DEMO_LEDGERS.netCarbonRemoval,
            terms: [
              {
                // carbon content is a percentage
                coefficient: (US_TON_IN_TONNES * CO2_PER_CARBON) / 100,
                factors: [
                  { dataPointTypeId: T.feedstockMass, aggregate: 'sum' },
                  { dataPointTypeId: T.biocharYield, aggregate: 'mean' },
                  { dataPointTypeId: T.biocharCarbonContent, aggregate: 'mean' },
                ],
              },
              { coefficient: -TRUCK_T_CO2E_PER_MILE, factors: [{ dataPointTypeId: T.transportDistance, aggregate: 'sum' }] },
              { coefficient: -GRID_T_CO2E_PER_KWH, factors: [{ dataPointTypeId: T.pyrolysisEnergy, aggregate: 'sum' }] },
            ],
          },
          {
            ledgerId: DEMO_LEDGERS.biocharProduced,
            terms: [
              {
                coefficient: US_TON_IN_TONNES,
                factors: [
                  { dataPointTypeId: T.feedstockMass, aggregate: 'sum' },
                  { dataPointTypeId: T.biocharYield, aggregate: 'mean' },
                ],
              },
            ],
          },
        ],
      },
    ],
    ledgers: [
      {
        id: DEMO_LEDGERS.netCarbonRemoval,
        name: 'Net Carbon Removal',
        unit: 't',
        partition_type: 'time',
        cadence: 'monthly',
        ...ledgerTimestamps,
        modelId: DEMO_MODEL_ID,
        outputTypeId: 101,
      },
      {
        id: DEMO_LEDGERS.biocharProduced,
        name: 'Biochar Produced',
        unit: 't',
        partition_type: 'time',
        cadence: 'monthly',
        ...ledgerTimestamps,
        modelId: DEMO_MODEL_ID,
        outputTypeId: 102,
      },
      {
        id: DEMO_LEDGERS.labAnalyses,
        name: 'Lab Analyses',
        unit: '%',
        partition_type: 'time',
        cadence: 'monthly',
        ...ledgerTimestamps,
        modelId: null,
        outputTypeId: 103,
      },
    ],
    dataPoints: READINGS.map(([typeId, timestamp, value], index) => ({
      id: `in_demo${String(index + 1).padStart(8, '0')}`,
      data_point_type_id: typeId,
      value,
      timestamp,
    })),
    batches: HISTORY_2024.map((value, index) => {
      const month = String(index + 1).padStart(2, '0');
      const monthStart = Date.UTC(2024, index, 1);
      const nextMonthStart = Date.UTC(2024, index + 1, 1);
      return {
        id: `bat_hist2024m${month}x`,
        ledgerId: DEMO_LEDGERS.netCarbonRemoval,
        start_time: new Date(monthStart).toISOString(),
        end_time: new Date(nextMonthStart - 1000).toISOString(),
        value,
        created_at: new Date(nextMonthStart + 2 * 86_400_000 + 9 * 3_600_000).toISOString(),
      };
    }),
    reports: [
      {
        id: DEMO_REPORTS.q4of2024,
        name: 'Q4 2024 Carbon Report',
        status: 'complete',
        created_at: '2024-10-01T09:00:00.000Z',
        updated_at: '2025-01-10T15:20:00.000Z',
        quarter: '2024-Q4',
        batchIds: ['bat_hist2024m10x', 'bat_hist2024m11x', 'bat_hist2024m12x'],
      },
      {
        id: DEMO_REPORTS.q1of2025,
        name: 'Q1 2025 Carbon Report',
        status: 'draft',
        created_at: '2025-01-02T09:00:00.000Z',
        updated_at: '2025-01-02T09:00:00.000Z',
        quarter: '2025-Q1',
      },
    ],
  };
}
