/** Links into the Step Functions console; `region` and the ARNs may be CDK tokens or EventBridge placeholders. */
export function executionConsoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

export function stateMachineConsoleUrl(region: string, stateMachineArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${stateMachineArn}`;
}

export function dashboardConsoleUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName}`;
}
