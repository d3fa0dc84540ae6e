// Public API of the lab world.
export { createLabWorld, DEFAULT_SEED } from './world';
export type { LabWorld, LabWorldOptions } from './world';
export { startLabServer } from './server';
export type { LabServer, LabServerOptions, LabServerStats } from './server';
export { expectationsFor, writeExpectations, readExpectations } from './expectations';
export type { SiteExpectations, ExpectedQuery } from './expectations';
export { exportZones, writeZoneFiles, zoneText, masterFileLine } from './zonefile';
export { trancoCsv, trancoZip, changedList } from './tranco';
export { startListServer } from './http';
export type { ListServer } from './http';
export { registerLabCommands } from './cli';
export { SCENARIOS } from './scenarios';
export type { Scenario } from './scenarios';
export type { LabSite } from './site-builder';
